import type { V1Secret } from '@kubernetes/client-node';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { digestKeyField, obtainDigestKey, type DigestKeyClient } from '../../src/server/digestKey.js';

const logger = pino({ level: 'silent' });

/** An in-memory Secret store with the API's create-or-409 semantics. */
function store(initial?: V1Secret): DigestKeyClient & { secrets: Map<string, V1Secret> } {
  const secrets = new Map<string, V1Secret>(initial ? [[`ns/${initial.metadata?.name}`, initial]] : []);
  return {
    secrets,
    async createSecret(namespace, secret) {
      const key = `${namespace}/${secret.metadata?.name}`;
      if (secrets.has(key)) return 'exists';
      secrets.set(key, structuredClone(secret));
      return 'created';
    },
    async readSecret(namespace, name) {
      const found = secrets.get(`${namespace}/${name}`);
      if (!found) throw new Error('not found');
      return structuredClone(found);
    },
  };
}

describe('obtainDigestKey', () => {
  it('creates a random 32-byte key when there is none, and every later replica reads the same', async () => {
    const client = store();
    const first = await obtainDigestKey(client, 'ns', 'credinject-digest-key', logger);
    const second = await obtainDigestKey(client, 'ns', 'credinject-digest-key', logger);
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
    expect(client.secrets.get('ns/credinject-digest-key')?.metadata?.labels?.['credinject.dev/type']).toBeUndefined();
  });

  it('converges when two replicas start at once', async () => {
    const client = store();
    const [a, b] = await Promise.all([obtainDigestKey(client, 'ns', 'k', logger), obtainDigestKey(client, 'ns', 'k', logger)]);
    expect(a.equals(b)).toBe(true);
  });

  it.each([
    ['no key field', {}],
    ['a short key', { [digestKeyField]: Buffer.alloc(8).toString('base64') }],
  ])('refuses a stored Secret with %s, naming it and the fix', async (_name, data) => {
    const client = store({ metadata: { name: 'k', namespace: 'ns' }, data });
    await expect(obtainDigestKey(client, 'ns', 'k', logger)).rejects.toThrow(/Secret ns\/k must hold a 32-byte key in data\.key; delete it/);
  });
});
