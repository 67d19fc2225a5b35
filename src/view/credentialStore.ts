import type { CredentialInfo, CredentialLookup } from '../credentials/credentialInfo.js';

/** The webhook's view of credential Secrets: metadata, key names and problems, never values. */
export interface CredentialStore extends CredentialLookup {
  set(info: CredentialInfo): void;
  delete(namespace: string, name: string): void;
  /** Every credential, or those of one namespace. */
  list(namespace?: string): CredentialInfo[];
  size(): number;
}

/**
 * Lookups resolve in the object's own namespace only: a Pod can only mount Secrets of its namespace,
 * and cluster-scoped credentials reach other namespaces as mirrored copies there (README, "Cluster-wide credentials").
 */
export function createCredentialStore(): CredentialStore {
  const byNamespace = new Map<string, Map<string, CredentialInfo>>();
  let count = 0;
  return {
    get: (namespace, name) => byNamespace.get(namespace)?.get(name),
    set(info) {
      let names = byNamespace.get(info.namespace);
      if (!names) byNamespace.set(info.namespace, (names = new Map()));
      if (!names.has(info.name)) count++;
      names.set(info.name, info);
    },
    delete(namespace, name) {
      const names = byNamespace.get(namespace);
      if (!names?.delete(name)) return;
      count--;
      if (names.size === 0) byNamespace.delete(namespace);
    },
    list(namespace) {
      if (namespace !== undefined) return [...(byNamespace.get(namespace)?.values() ?? [])];
      return [...byNamespace.values()].flatMap((names) => [...names.values()]);
    },
    size: () => count,
  };
}
