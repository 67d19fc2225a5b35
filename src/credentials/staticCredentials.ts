import type { V1Secret } from '@kubernetes/client-node';
import type { CredentialInfo, CredentialLookup } from './credentialInfo.js';
import { describeCredential } from './describeCredential.js';
import { keys } from '../contract/keys.js';

/** Objects of a manifest that are credentials: a `v1` Secret with the type label. */
export function isCredentialSecret(object: unknown): object is V1Secret {
  const secret = object as V1Secret | null;
  return secret?.apiVersion === 'v1' && secret.kind === 'Secret' && secret.metadata?.labels?.[keys.typeLabel] !== undefined;
}

/**
 * A credential lookup over a fixed set of Secrets (a file, for the CLI and static-mode server).
 * Secrets without a namespace belong to `defaultNamespace`, as `kubectl apply` would put them.
 */
export function staticCredentials(secrets: readonly V1Secret[], defaultNamespace: string): CredentialLookup & { all(): CredentialInfo[] } {
  const byKey = new Map<string, CredentialInfo>();
  for (const secret of secrets) {
    const info = describeCredential(secret);
    if (info.namespace === '') info.namespace = defaultNamespace;
    byKey.set(`${info.namespace}/${info.name}`, info);
  }
  return {
    get: (namespace, name) => byKey.get(`${namespace}/${name}`),
    all: () => [...byKey.values()],
  };
}
