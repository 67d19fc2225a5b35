import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeCredential } from '../../src/credentials/describeCredential.js';
import { credentialWarnings, validateCredential } from '../../src/credentials/validateCredential.js';
import { credentialSecret } from '../fixtures/secrets.js';

const rules = (secret: V1Secret) => validateCredential(secret).map((problem) => problem.rule);
const withAnnotations = (annotations: Record<string, string>) => ({ metadata: { annotations } });

describe('the env prefix on a credential Secret', () => {
  it.each([
    ['access-key', { access_key_id: 'a', secret_access_key: 'b' }, 'A=B'],
    ['password', { username: 'u', password: 'p' }, 'bad prefix-'],
    ['generic', { token: 't' }, '1ST_'],
  ])('refuses a %s Secret whose prefix %j makes no env name, naming the prefix, not the keys', (type, data, prefix) => {
    const problems = validateCredential(credentialSecret('c', type, data, withAnnotations({ 'credinject.dev/env-prefix': prefix })));
    expect(problems).toEqual([
      { rule: 'bad-env-prefix', message: expect.stringContaining('annotation credinject.dev/env-prefix must be a valid env var prefix') },
    ]);
  });

  it.each(['', 'MLFLOW_', '_x', 'S3'])('accepts the prefix %j', (prefix) => {
    expect(validateCredential(credentialSecret('c', 'access-key', { access_key_id: 'a', secret_access_key: 'b' }, withAnnotations({ 'credinject.dev/env-prefix': prefix })))).toEqual([]);
  });

  it('warns, without refusing, when the type takes no prefix', () => {
    const secret = credentialSecret('aws-x', 'aws', { access_key_id: 'a', secret_access_key: 'b' }, withAnnotations({ 'credinject.dev/env-prefix': 'PROD_' }));
    expect(validateCredential(secret)).toEqual([]);
    expect(credentialWarnings(secret)).toEqual(['credential "aws-x": annotation credinject.dev/env-prefix is ignored, type aws takes no env prefix']);
  });
});

describe('the mount path on a credential Secret', () => {
  it.each([
    ['/', 'must not be "/"'],
    ['//', 'must not be "/"'],
    ['/./', 'must not be "/"'],
    ['/var/run/../../etc', 'must not contain ".."'],
    ['/etc/..', 'must not contain ".."'],
    ['etc/app', 'must be an absolute path'],
    ['/etc:ro', 'must not contain ":"'],
  ])('refuses %j: it %s', (path, message) => {
    const problems = validateCredential(credentialSecret('c', 'generic', { token: 't' }, withAnnotations({ 'credinject.dev/mount-path': path })));
    expect(problems).toEqual([{ rule: 'bad-mount-path', message: `annotation credinject.dev/mount-path ${message}` }]);
  });
});

describe('the name and data of a credential Secret', () => {
  it.each(['Invalid_Name', 'UPPER', '-leading', 'a'.repeat(254)])('refuses the name %j', (name) => {
    expect(rules(credentialSecret(name, 'huggingface', { token: 't' }))).toEqual(['bad-name']);
  });

  it.each([
    ['a number', 5432],
    ['a boolean', true],
    ['null', null],
    ['a list', ['a']],
  ])('refuses a stringData value that is %s, naming the key', (_kind, value) => {
    const secret = credentialSecret('pg', 'password', { username: 'u' });
    (secret.stringData as Record<string, unknown>)['password'] = value;
    expect(validateCredential(secret)).toContainEqual({ key: 'password', rule: 'not-a-string', message: 'stringData key "password" must be a string; quote the value in YAML' });
  });

  it('refuses a data value that is not a string, even one that would read as base64', () => {
    const secret: V1Secret = { ...credentialSecret('hf', 'huggingface', {}), data: { token: 1234 as unknown as string } };
    delete secret.stringData;
    expect(rules(secret)).toContain('not-a-string');
  });

  it.each(['stringData', 'data'] as const)('reports a scalar %s as not a map, without keys that reveal its length', (field) => {
    const secret = credentialSecret('hf', 'huggingface', {});
    delete secret.stringData;
    (secret as Record<string, unknown>)[field] = 'SECRETVAL';
    const problems = validateCredential(secret);
    expect(problems).toContainEqual({ rule: 'not-a-map', message: `${field} must be a map of keys to values` });
    expect(problems.map((problem) => problem.key)).not.toContain('0');
    expect(JSON.stringify(problems)).not.toMatch(/"8"|SECRETVAL/);
    expect(describeCredential(secret).keys).toEqual([]);
  });
});
