import { describe, expect, it } from 'vitest';
import { renderEnvFile } from '../../../src/agent/render/envFile.js';
import { golden, plannedOutput, renderPlanned, secretFiles, withKeys } from './fixtures.js';

describe('renderEnvFile', () => {
  it('renders every env var the credential injects, quoted, like the golden file', () => {
    const result = renderPlanned(renderEnvFile, 'env-file-generic', 'env-file');
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden('env-file-generic.env', result.content));
  });

  it('uses the env names the container gets, prefix included', () => {
    const output = plannedOutput('pgpass-password', 'env-file');
    expect(output.env).toEqual([{ name: 'USERNAME', key: 'username' }, { name: 'PASSWORD', key: 'password' }]);
  });

  const files = secretFiles('env-file-generic');
  const settings = plannedOutput('env-file-generic', 'env-file');
  it.each([
    ['a value holds a carriage return', withKeys(files, { PLAIN: 'FAKE\rVALUE' })],
    ['a value holds NUL', withKeys(files, { PLAIN: 'FAKE\0VALUE' })],
    ['a value holds a single quote and a $', withKeys(files, { PLAIN: "FAKE'$VALUE" })],
    ['a value holds a single quote and a backslash', withKeys(files, { PLAIN: "FAKE'\\VALUE" })],
    ['a value holds a single quote and a double quote', withKeys(files, { PLAIN: 'FAKE\'"VALUE' })],
    ['a value holds ${…}, which python-dotenv expands even in single quotes', withKeys(files, { PLAIN: "FAKE${'${'}HOME}" })],
  ])('fails when %s, naming the key and quoting no value', (_case, changed) => {
    const result = renderEnvFile(changed, settings.credential, settings);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^key "PLAIN" holds/);
    expect(JSON.stringify(result)).not.toContain('FAKE');
  });

  it('fails when a planned key is gone from the volume', () => {
    expect(renderEnvFile(withKeys(files, { HASH: undefined }), settings.credential, settings)).toEqual({ ok: false, message: 'missing key "HASH"' });
  });
});
