import type { ServiceAccountLookup } from '../engine/serviceAccountRequest.js';

/** ServiceAccounts that carry request annotations, by namespace and name; the others are not kept. */
export interface ServiceAccountStore extends ServiceAccountLookup {
  /** Records the request annotations of a ServiceAccount; empty ones forget it. */
  set(namespace: string, name: string, request: Readonly<Record<string, string>>): void;
  delete(namespace: string, name: string): void;
  size(): number;
  /** Grows whenever a ServiceAccount's request changes (a relist of the same ones does not): a reader polls it. */
  revision(): number;
}

function sameRequest(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  if (a === undefined) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

export function createServiceAccountStore(): ServiceAccountStore {
  const requests = new Map<string, Readonly<Record<string, string>>>();
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  let revision = 0;
  const forget = (id: string): void => {
    if (requests.delete(id)) revision += 1;
  };
  return {
    requestOf: (namespace, name) => requests.get(key(namespace, name)),
    set(namespace, name, request) {
      const id = key(namespace, name);
      if (Object.keys(request).length === 0) return forget(id);
      if (sameRequest(requests.get(id), request)) return;
      requests.set(id, request);
      revision += 1;
    },
    delete: (namespace, name) => forget(key(namespace, name)),
    size: () => requests.size,
    revision: () => revision,
  };
}
