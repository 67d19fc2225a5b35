import type { V1Lease } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from './kubeApi.js';
import { resourcePath } from './kindListers.js';
import type { LeaseClient, LeaseRecord } from './leaseElector.js';

const leases = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases' };

/** MicroTime fields arrive as RFC 3339 text. */
function timeText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toRecord(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  const record: LeaseRecord = {};
  if (spec.holderIdentity) record.holderIdentity = spec.holderIdentity;
  if (spec.leaseDurationSeconds !== undefined) record.leaseDurationSeconds = spec.leaseDurationSeconds;
  const acquireTime = timeText(spec.acquireTime);
  const renewTime = timeText(spec.renewTime);
  if (acquireTime) record.acquireTime = acquireTime;
  if (renewTime) record.renewTime = renewTime;
  if (spec.leaseTransitions !== undefined) record.leaseTransitions = spec.leaseTransitions;
  if (lease.metadata?.resourceVersion) record.resourceVersion = lease.metadata.resourceVersion;
  return record;
}

function toLease(namespace: string, name: string, record: LeaseRecord): object {
  // The elector writes MicroTime text (six fractional digits, leaseElector's microTime) as it is.
  const spec: Record<string, unknown> = {};
  if (record.holderIdentity) spec['holderIdentity'] = record.holderIdentity;
  if (record.leaseDurationSeconds !== undefined) spec['leaseDurationSeconds'] = record.leaseDurationSeconds;
  if (record.acquireTime) spec['acquireTime'] = record.acquireTime;
  if (record.renewTime) spec['renewTime'] = record.renewTime;
  if (record.leaseTransitions !== undefined) spec['leaseTransitions'] = record.leaseTransitions;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(record.resourceVersion ? { resourceVersion: record.resourceVersion } : {}) },
    spec,
  };
}

/**
 * Lease election's calls over the API; 404 on read, 409 on create and replace are values.
 * Every call is aborted with `signal` (the election's shutdown).
 */
export function kubeLeaseClient(api: KubeApi, signal?: AbortSignal): LeaseClient {
  const aborted = signal ? { signal } : {};
  return {
    async read(namespace, name) {
      try {
        return toRecord(await api.call<V1Lease>({ method: 'GET', path: resourcePath(leases, namespace, name), ...aborted }));
      } catch (err) {
        if (apiStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async create(namespace, name, record) {
      try {
        return toRecord(await api.call<V1Lease>({ method: 'POST', path: resourcePath(leases, namespace), body: toLease(namespace, name, record), ...aborted }));
      } catch (err) {
        if (apiStatus(err) === 409) return 'exists';
        throw err;
      }
    },
    async replace(namespace, name, record) {
      try {
        return toRecord(await api.call<V1Lease>({ method: 'PUT', path: resourcePath(leases, namespace, name), body: toLease(namespace, name, record), ...aborted }));
      } catch (err) {
        if (apiStatus(err) === 409) return 'conflict';
        throw err;
      }
    },
  };
}
