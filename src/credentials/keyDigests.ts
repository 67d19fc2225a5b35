import { createHash, createHmac } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { decodeSecretData } from './secretData.js';

/** Length of the digest key every replica shares (bytes): HMAC-SHA256's block-size worth of entropy is more than enough. */
export const digestKeyBytes = 32;

/** The data key of the Secret holding the digest key (base64, as any Secret value): the server writes it, the CLI reads it. */
export const digestKeyField = 'key';

/** Hex characters of a version digest in annotations: 64 bits, ample to notice a change, short in `kubectl describe`. */
export const versionDigestLength = 16;

/**
 * Per data key, HMAC-SHA256 under the shared digest key of the credential's identity, the key name
 * and the value. Keyed, so a digest written into an annotation says nothing about a short password
 * (a plain SHA of it can be brute-forced); the identity and key name are mixed in so two keys or two
 * credentials holding the same value do not show equal digests. A value that does not decode (a
 * problem of the credential already) has no digest.
 */
export function keyDigests(secret: Pick<V1Secret, 'data' | 'stringData' | 'metadata'>, digestKey: Buffer): Record<string, string> {
  const namespace = secret.metadata?.namespace ?? '';
  const name = secret.metadata?.name ?? '';
  const digests: Record<string, string> = {};
  for (const [key, value] of decodeSecretData(secret).values) {
    digests[key] = createHmac('sha256', digestKey).update(`credinject/v1\u0000${namespace}\u0000${name}\u0000${key}\u0000`).update(value).digest('hex');
  }
  return digests;
}

/**
 * The version of a credential over some of its keys (those a workload consumes): a hash of the keys'
 * keyed digests, cut to `versionDigestLength` hex characters. It needs no key itself, since its
 * inputs are keyed already; a key the credential lacks counts as absent, so adding or removing one
 * changes the version too.
 */
export function versionDigest(digests: Readonly<Record<string, string>>, keys: readonly string[]): string {
  const hash = createHash('sha256');
  for (const key of [...new Set(keys)].sort()) hash.update(`${key}\u0000${Object.hasOwn(digests, key) ? digests[key] : '-'}\n`);
  return hash.digest('hex').slice(0, versionDigestLength);
}
