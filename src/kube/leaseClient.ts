import { ApiException, CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { abortable } from './abortable.js';
import type { LeaseClient, LeaseRecord } from './leaseElector.js';

const isStatus = (err: unknown, code: number): boolean => err instanceof ApiException && err.code === code;

/** client-node hands MicroTime fields back as strings (it has no deserializer for them) or Dates. */
function timeText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
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

function toLease(namespace: string, name: string, record: LeaseRecord): V1Lease {
  // V1MicroTime serialises with six fractional digits; a plain Date's three would be refused.
  const micro = (text: string | undefined) => (text === undefined ? undefined : new V1MicroTime(text));
  const spec: NonNullable<V1Lease['spec']> = {};
  if (record.holderIdentity) spec.holderIdentity = record.holderIdentity;
  if (record.leaseDurationSeconds !== undefined) spec.leaseDurationSeconds = record.leaseDurationSeconds;
  const acquireTime = micro(record.acquireTime);
  const renewTime = micro(record.renewTime);
  if (acquireTime) spec.acquireTime = acquireTime;
  if (renewTime) spec.renewTime = renewTime;
  if (record.leaseTransitions !== undefined) spec.leaseTransitions = record.leaseTransitions;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(record.resourceVersion ? { resourceVersion: record.resourceVersion } : {}) },
    spec,
  };
}

/**
 * Lease election's calls over client-node; 404 on read, 409 on create and replace are values.
 * Every call is aborted with `signal` (the election's shutdown).
 */
export function kubeLeaseClient(kubeConfig: KubeConfig, signal?: AbortSignal): LeaseClient {
  const api = kubeConfig.makeApiClient(CoordinationV1Api);
  const options = abortable(signal);
  return {
    async read(namespace, name) {
      try {
        return toRecord(await api.readNamespacedLease({ namespace, name }, options));
      } catch (err) {
        if (isStatus(err, 404)) return undefined;
        throw err;
      }
    },
    async create(namespace, name, record) {
      try {
        return toRecord(await api.createNamespacedLease({ namespace, body: toLease(namespace, name, record) }, options));
      } catch (err) {
        if (isStatus(err, 409)) return 'exists';
        throw err;
      }
    },
    async replace(namespace, name, record) {
      try {
        return toRecord(await api.replaceNamespacedLease({ namespace, name, body: toLease(namespace, name, record) }, options));
      } catch (err) {
        if (isStatus(err, 409)) return 'conflict';
        throw err;
      }
    },
  };
}
