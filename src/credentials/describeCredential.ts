import type { V1Secret } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import type { CredentialInfo } from './credentialInfo.js';
import { credentialExpiry } from './expiry.js';
import { decodeSecretData, secretKeyNames } from './secretData.js';
import { validateCredential } from './validateCredential.js';

/**
 * Only credinject's own annotations are kept: others can hold the values themselves, e.g.
 * `kubectl apply` stores the whole manifest, `stringData` included, in last-applied-configuration.
 */
function credinjectAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => key.startsWith('credinject.dev/')));
}

type ManagedField = { manager?: string; time?: Date | string };

/**
 * Who wrote the Secret first: the manager of its oldest managedFields entry (an apply or update
 * that later writers did not take over keeps its own entry and time). Undefined without any.
 */
export function firstManager(managedFields: readonly ManagedField[] | undefined): string | undefined {
  let first: { manager: string; time: number } | undefined;
  for (const field of managedFields ?? []) {
    if (!field.manager) continue;
    const time = field.time === undefined ? Number.POSITIVE_INFINITY : new Date(field.time).getTime();
    if (!first || time < first.time) first = { manager: field.manager, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time };
  }
  return first?.manager;
}

/**
 * What the engine and the webhook's cache keep of a credential Secret: metadata, key names and the
 * validation problems, and the earliest expiry. The values are read for validation and dates, and not kept.
 */
export function describeCredential(secret: V1Secret): CredentialInfo {
  const metadata = secret.metadata ?? {};
  const created = metadata.creationTimestamp as Date | string | undefined;
  const info: CredentialInfo = {
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    type: metadata.labels?.[keys.typeLabel] ?? '',
    secretType: secret.type ?? 'Opaque',
    keys: secretKeyNames(secret),
    labels: { ...metadata.labels },
    annotations: credinjectAnnotations(metadata.annotations),
    problems: validateCredential(secret),
  };
  if (created !== undefined) info.createdAt = created instanceof Date ? created.toISOString() : String(created);
  const createdBy = firstManager(metadata.managedFields);
  if (createdBy) info.createdBy = createdBy;
  // The values are decoded once more for their dates only; what is kept is the date and the key name.
  const expiry = credentialExpiry(decodeSecretData(secret).values);
  if (expiry) {
    info.expiresAt = expiry.expiresAt;
    info.expiryKey = expiry.key;
  }
  return info;
}
