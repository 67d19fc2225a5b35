import type { SecureContextOptions } from 'node:tls';
import type { KeyPair } from './certificates.js';

/**
 * Options for the serving context, used at start and on every reload: `setSecureContext` replaces
 * the whole context, so the TLS floor must be repeated each time or a reload would drop it.
 */
export function secureContextOptions(pair: KeyPair): SecureContextOptions {
  return { cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' };
}
