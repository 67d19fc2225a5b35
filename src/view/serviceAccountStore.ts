import type { ServiceAccountLookup } from '../admission/store.js';

/** ServiceAccounts that carry request annotations, by namespace and name; the others are not kept. */
export interface ServiceAccountStore extends ServiceAccountLookup {
  /** Records the request annotations of a ServiceAccount; empty ones forget it. */
  set(namespace: string, name: string, request: Readonly<Record<string, string>>): void;
  delete(namespace: string, name: string): void;
  size(): number;
}

export function createServiceAccountStore(): ServiceAccountStore {
  const requests = new Map<string, Readonly<Record<string, string>>>();
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  return {
    requestOf: (namespace, name) => requests.get(key(namespace, name)),
    set(namespace, name, request) {
      if (Object.keys(request).length === 0) requests.delete(key(namespace, name));
      else requests.set(key(namespace, name), request);
    },
    delete: (namespace, name) => void requests.delete(key(namespace, name)),
    size: () => requests.size,
  };
}
