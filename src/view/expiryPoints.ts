import { keys } from '../contract/keys.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';

/** One credential's expiry as the gauge `credinject_credential_expiry_timestamp_seconds` exports it. */
export interface CredentialExpiryPoint {
  namespace: string;
  name: string;
  type: string;
  expiresAt: string;
}

/**
 * The credentials that carry an expiry. Mirrors are left out: they hold their source's data, and
 * one cluster credential in fifty namespaces would otherwise raise fifty alerts for one renewal.
 */
export function expiryPoints(credentials: readonly CredentialInfo[]): CredentialExpiryPoint[] {
  return credentials.flatMap((info) =>
    info.expiresAt && info.labels[keys.mirrorLabel] === undefined ? [{ namespace: info.namespace, name: info.name, type: info.type, expiresAt: info.expiresAt }] : [],
  );
}
