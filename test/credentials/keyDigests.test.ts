import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyDigests, versionDigest, versionDigestLength } from '../../src/credentials/keyDigests.js';
import { credentialSecret, exampleSecrets } from '../fixtures/secrets.js';

const digestKey = Buffer.alloc(32, 1);
const otherKey = Buffer.alloc(32, 2);

/** Every unkeyed hash someone could compute from a value alone (what Reloader writes), in hex and base64. */
function unkeyedHashes(value: Buffer): string[] {
  return ['sha1', 'sha256', 'sha512', 'md5'].flatMap((algorithm) => {
    const digest = createHash(algorithm).update(value).digest();
    return [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')];
  });
}

function values(secret: ReturnType<typeof exampleSecrets>[number]): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  for (const [key, text] of Object.entries(secret.data ?? {})) map.set(key, Buffer.from(text, 'base64'));
  for (const [key, text] of Object.entries(secret.stringData ?? {})) map.set(key, Buffer.from(text, 'utf8'));
  return map;
}

describe('keyDigests', () => {
  it.each(exampleSecrets().map((secret) => [secret.metadata?.name ?? '', secret] as const))('of %s: no digest or version equals (or starts) an unkeyed hash of a value', (_name, secret) => {
    const digests = keyDigests(secret, digestKey);
    const hashes = [...values(secret).values()].flatMap(unkeyedHashes);
    const written = [...Object.values(digests), ...Object.keys(digests).map((key) => versionDigest(digests, [key])), versionDigest(digests, Object.keys(digests))];
    expect(Object.keys(digests).sort()).toEqual([...values(secret).keys()].sort());
    for (const digest of written) {
      expect(hashes.some((hash) => hash === digest || hash.startsWith(digest))).toBe(false);
      expect([...values(secret).values()].some((value) => digest.includes(value.toString('utf8')) && value.length > 3)).toBe(false);
    }
  });

  it.each([
    ['the shared key differs', otherKey, credentialSecret('db', 'password', { username: 'u', password: 'hunter2' })],
    ['the credential is another one', digestKey, credentialSecret('db2', 'password', { username: 'u', password: 'hunter2' })],
  ])('differ when %s, for the same value', (_name, key, secret) => {
    const reference = keyDigests(credentialSecret('db', 'password', { username: 'u', password: 'hunter2' }), digestKey);
    expect(keyDigests(secret, key)['password']).not.toBe(reference['password']);
  });

  it('agree across replicas sharing the key (deterministic)', () => {
    const secret = credentialSecret('db', 'password', { username: 'u', password: 'hunter2' });
    expect(keyDigests(secret, Buffer.from(digestKey))).toEqual(keyDigests(structuredClone(secret), digestKey));
  });

  it('make two keys holding one value look unrelated', () => {
    const digests = keyDigests(credentialSecret('db', 'password', { username: 'same', password: 'same' }), digestKey);
    expect(digests['username']).not.toBe(digests['password']);
  });

  it('skip a value that does not decode', () => {
    const digests = keyDigests({ metadata: { name: 'x' }, data: { good: 'aGk=', bad: '%%%' } }, digestKey);
    expect(Object.keys(digests)).toEqual(['good']);
  });
});

describe('versionDigest', () => {
  const digests = { a: '1'.repeat(64), b: '2'.repeat(64) };
  it.each([
    ['key order does not matter', ['a', 'b'], ['b', 'a'], true],
    ['duplicates do not matter', ['a', 'a'], ['a'], true],
    ['another key set differs', ['a'], ['a', 'b'], false],
    ['a key the credential lacks differs from none', ['a', 'missing'], ['a'], false],
  ])('%s', (_name, left, right, same) => {
    expect(versionDigest(digests, left) === versionDigest(digests, right)).toBe(same);
  });

  it(`is ${versionDigestLength} hex characters`, () => {
    expect(versionDigest(digests, ['a'])).toMatch(new RegExp(`^[0-9a-f]{${versionDigestLength}}$`));
  });
});
