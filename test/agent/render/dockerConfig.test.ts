import { describe, expect, it } from 'vitest';
import { renderDockerConfig } from '../../../src/agent/render/dockerConfig.js';
import { golden, secretFiles, secretName } from './fixtures.js';

const config = (json: unknown): Map<string, Buffer> =>
  new Map([['.dockerconfigjson', Buffer.from(typeof json === 'string' ? json : JSON.stringify(json))]]);

describe('renderDockerConfig', () => {
  it.each(['docker-config-auth', 'docker-config-userpass'])('renders %s like the golden file', (fixture) => {
    const result = renderDockerConfig(secretFiles(fixture), secretName(fixture));
    if (!result.ok) throw new Error(result.message);
    expect(result.content).toBe(golden(`${fixture}.json`, result.content));
  });

  it('adds auth as base64 of username:password when only those are given', () => {
    const result = renderDockerConfig(config({ auths: { 'r.test': { username: 'u', password: 'p:w' } } }), 'c');
    expect(result.ok && JSON.parse(result.content)).toEqual({
      auths: { 'r.test': { username: 'u', password: 'p:w', auth: Buffer.from('u:p:w').toString('base64') } },
    });
  });

  it('keeps only auths: credential helpers are binaries the app does not have', () => {
    const result = renderDockerConfig(config({ auths: {}, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' } }), 'c');
    expect(result.ok && JSON.parse(result.content)).toEqual({ auths: {} });
  });

  it('keeps a registry named __proto__ as an ordinary entry', () => {
    const result = renderDockerConfig(config('{"auths":{"__proto__":{"auth":"eDp5"}}}'), 'c');
    expect(result.ok && result.content).toContain('"__proto__"');
  });

  it.each([
    ['the key is missing', new Map<string, Buffer>(), 'missing key ".dockerconfigjson"'],
    ['the JSON does not parse', config('{"auths": {"r": "FAKEVALUE'), 'key ".dockerconfigjson" is not valid JSON'],
    ['auths is missing', config({ FAKEVALUE: 1 }), 'has no "auths" object'],
    ['auths is an array', config({ auths: ['FAKEVALUE'] }), 'has no "auths" object'],
    ['an entry is not an object', config({ auths: { 'r.test': 'FAKEVALUE' } }), 'auths entry "r.test" is not an object'],
    ['an entry has no way to log in', config({ auths: { 'r.test': { username: 'FAKEVALUE' } } }), 'auths entry "r.test" has neither "auth"'],
  ])('fails when %s, quoting no value', (_case, files, message) => {
    const result = renderDockerConfig(files, 'c');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.message).not.toContain('FAKEVALUE');
  });
});
