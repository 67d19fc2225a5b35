import { describe, expect, it } from 'vitest';
import { renderRcloneConf } from '../../../src/agent/render/rcloneConf.js';
import { golden, secretFiles, secretName } from './fixtures.js';

const keys = (entries: Record<string, string>): Map<string, Buffer> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, Buffer.from(value)]));

describe('renderRcloneConf', () => {
  it('renders rclone-conf-s3 like the golden file', () => {
    const result = renderRcloneConf(secretFiles('rclone-conf-s3'), secretName('rclone-conf-s3'));
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden('rclone-conf-s3.conf', result.content));
  });

  it.each([
    [{ RCLONE_CONFIG_GCS_TYPE: 'gcs' }, '[gcs]\ntype = gcs\n'],
    [{ RCLONE_CONFIG_A_B_C_TYPE: 'sftp', RCLONE_CONFIG_A_B_C_KEY_FILE: '/k' }, '[a_b_c]\ntype = sftp\nkey_file = /k\n'],
    [{ RCLONE_CONFIG_R_TYPE: 'webdav\n', RCLONE_CONFIG_R_URL: ' https://dav.test ' }, '[r]\ntype = webdav\nurl = https://dav.test\n'],
  ])('maps %j to one lower-case section', (entries, expected) => {
    expect(renderRcloneConf(keys(entries), 'c')).toEqual({ ok: true, content: expected });
  });

  it.each([
    ['no _TYPE key', { RCLONE_CONFIG_R_URL: 'FAKEVALUE' }, 'missing key RCLONE_CONFIG_<REMOTE>_TYPE'],
    ['two remotes', { RCLONE_CONFIG_A_TYPE: 's3', RCLONE_CONFIG_B_TYPE: 's3' }, 'one remote per credential: found A and B'],
    ['a key of another remote', { RCLONE_CONFIG_A_TYPE: 's3', RCLONE_CONFIG_B_URL: 'FAKEVALUE' }, 'key "RCLONE_CONFIG_B_URL" is not for remote A'],
    ['a lower-case key', { RCLONE_CONFIG_A_TYPE: 's3', rclone_config_a_url: 'FAKEVALUE' }, 'key "rclone_config_a_url" is not RCLONE_CONFIG_<REMOTE>_<PARAM>'],
    ['a key outside rclone', { RCLONE_CONFIG_A_TYPE: 's3', PASSWORD: 'FAKEVALUE' }, 'key "PASSWORD" is not RCLONE_CONFIG_<REMOTE>_<PARAM>'],
    ['an empty value', { RCLONE_CONFIG_A_TYPE: 's3', RCLONE_CONFIG_A_URL: '' }, 'key "RCLONE_CONFIG_A_URL" is empty'],
    ['a value across lines', { RCLONE_CONFIG_A_TYPE: 's3', RCLONE_CONFIG_A_URL: 'x\n[FAKEVALUE]' }, 'key "RCLONE_CONFIG_A_URL" must be a single line'],
  ])('fails on %s, quoting no value', (_case, entries, message) => {
    const result = renderRcloneConf(keys(entries), 'c');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.message).not.toContain('FAKEVALUE');
  });
});
