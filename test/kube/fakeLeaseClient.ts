import type { LeaseClient, LeaseRecord } from '../../src/kube/leaseElector.js';

/**
 * An in-memory Lease store with the API server's compare-and-swap: a replace whose resourceVersion
 * is not the stored one is a conflict. Calls resolve on a later microtask, so concurrent steps
 * interleave as they would over the network.
 */
export function fakeLeaseStore() {
  const leases = new Map<string, LeaseRecord>();
  let version = 0;
  const writes: { identity: string | undefined; kind: 'create' | 'replace' }[] = [];
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  const client = (options: { partitioned?: () => boolean } = {}): LeaseClient => {
    const reachable = async () => {
      await tick();
      if (options.partitioned?.()) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    };
    return {
      async read(namespace, name) {
        await reachable();
        const found = leases.get(`${namespace}/${name}`);
        return found ? { ...found } : undefined;
      },
      async create(namespace, name, record) {
        await reachable();
        const key = `${namespace}/${name}`;
        if (leases.has(key)) return 'exists';
        const stored = { ...record, resourceVersion: String(++version) };
        leases.set(key, stored);
        writes.push({ identity: record.holderIdentity, kind: 'create' });
        return { ...stored };
      },
      async replace(namespace, name, record) {
        await reachable();
        const key = `${namespace}/${name}`;
        const current = leases.get(key);
        if (!current || current.resourceVersion !== record.resourceVersion) return 'conflict';
        const stored = { ...record, resourceVersion: String(++version) };
        leases.set(key, stored);
        writes.push({ identity: record.holderIdentity, kind: 'replace' });
        return { ...stored };
      },
    };
  };

  return {
    client,
    get: (namespace: string, name: string) => leases.get(`${namespace}/${name}`),
    set: (namespace: string, name: string, record: LeaseRecord) => leases.set(`${namespace}/${name}`, { ...record, resourceVersion: String(++version) }),
    writes,
  };
}
