import { randomBytes } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { digestKeyBytes, digestKeyField } from '../credentials/keyDigests.js';
import type { TlsBootstrapClient } from './tls/selfSignedBootstrap.js';

export { digestKeyField };

/** The calls it makes: the self-signed bootstrap's own Secret calls. */
export type DigestKeyClient = Pick<TlsBootstrapClient, 'createSecret' | 'readSecret'>;

/**
 * The key of the keyed digests (credentials/keyDigests), shared by every replica through one Secret
 * in the injector's namespace so their digests agree across replicas and restarts. Like the TLS
 * Secret: create a random one first and read on AlreadyExists, so concurrent starts converge on
 * whichever create won, without a leader. A stored key that is too short is an error naming the
 * Secret (deleting it makes a new one; every Pod then counts as stale once), never replaced silently.
 */
export async function obtainDigestKey(client: DigestKeyClient, namespace: string, secretName: string, logger: Logger): Promise<Buffer> {
  const fresh = randomBytes(digestKeyBytes);
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace, labels: { 'app.kubernetes.io/managed-by': 'credinject', 'app.kubernetes.io/component': 'digest-key' } },
    type: 'Opaque',
    data: { [digestKeyField]: fresh.toString('base64') },
  };
  if ((await client.createSecret(namespace, secret)) === 'created') {
    logger.info({ secret: secretName }, 'created the digest key shared by every replica');
    return fresh;
  }
  const stored = await client.readSecret(namespace, secretName);
  const key = Buffer.from(stored.data?.[digestKeyField] ?? '', 'base64');
  if (key.length < digestKeyBytes) {
    throw new Error(`Secret ${namespace}/${secretName} must hold a ${digestKeyBytes}-byte key in data.${digestKeyField}; delete it and credinject creates one`);
  }
  return key;
}
