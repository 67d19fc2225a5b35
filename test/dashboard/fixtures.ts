import type { V1Secret } from '@kubernetes/client-node';
import { keys } from '../../src/contract/keys.js';
import { dashboardCredential, newDigestKey, type DashboardCredential } from '../../src/dashboard/dashboardCredential.js';
import type { DashboardSnapshot, UserRecord } from '../../src/dashboard/snapshot.js';
import { createUsageIndex } from '../../src/view/usageIndex.js';

export const digestKey = newDigestKey();
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Marker values: tests assert none of them reaches the model's output. */
export const marker = { hf: 'hf_MARKER_value_0001', awsSecret: 'aws-MARKER-secret-0002', other: 'MARKER-other-0003' };

export interface SecretSpec {
  name: string;
  namespace?: string;
  type?: string;
  data?: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  createdBy?: string;
  expiresAt?: string;
}

export function secret(spec: SecretSpec): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? 'team-a',
      creationTimestamp: new Date('2026-11-01T10:00:00Z'),
      labels: { [keys.typeLabel]: spec.type ?? 'huggingface', ...spec.labels },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"token":"${marker.other}"}}`, ...spec.annotations },
      managedFields: spec.createdBy
        ? [
            { manager: 'credinject-mirror', operation: 'Update', time: new Date('2026-11-02T00:00:00Z') },
            { manager: spec.createdBy, operation: 'Update', time: new Date('2026-11-01T10:00:00Z') },
          ]
        : [],
    },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(spec.data ?? { token: marker.hf }).map(([key, value]) => [key, b64(value)])),
  };
}

export function credential(spec: SecretSpec): DashboardCredential {
  const entry = dashboardCredential(secret(spec), digestKey);
  if (spec.expiresAt) entry.info.expiresAt = spec.expiresAt;
  return entry;
}

export const now = new Date('2026-12-01T00:00:00Z');

export function snapshot(credentials: DashboardCredential[], extra: Partial<DashboardSnapshot> = {}): DashboardSnapshot {
  const users: readonly UserRecord[] = extra.users ?? [];
  const usage = createUsageIndex();
  for (const user of users) usage.set(user);
  return { credentials, usage, users, secretsListedIn: 'all', denied: [], now, ...extra };
}
