import { createHmac, randomBytes } from 'node:crypto';
import type { V1ManagedFieldsEntry, V1Secret } from '@kubernetes/client-node';
import { mirrorDataHash } from '../mirror/mirrorSecret.js';
import { credentialEntry, type CredentialEntry } from '../view/projections.js';

/**
 * The credential projection as the dashboard keeps it: the webhook's (metadata, key names,
 * problems, `expiresAt`) plus who created it and a keyed
 * digest of its data, used only to tell whether a mirror holds what its source holds. The digest is
 * keyed per process and never leaves the server: the page gets `current: true/false`.
 */
export interface DashboardCredential extends CredentialEntry {
  /** The field manager of the Secret's earliest managedFields entry (`kubectl-create`, `helm`, …). */
  createdBy?: string;
  dataDigest: string;
}

/** A per-process key, so a digest that escaped would tell nothing about the values. */
export type DigestKey = Buffer;
export const newDigestKey = (): DigestKey => randomBytes(32);

/** The manager of the first write the API server recorded; managedFields are kept in time order. */
export function creatorOf(managedFields: readonly V1ManagedFieldsEntry[] | undefined): string | undefined {
  const entries = (managedFields ?? []).filter((entry) => entry.manager);
  const time = (entry: V1ManagedFieldsEntry): number => (entry.time ? new Date(entry.time as Date | string).getTime() : Infinity);
  const first = entries.reduce<V1ManagedFieldsEntry | undefined>((best, entry) => (!best || time(entry) < time(best) ? entry : best), undefined);
  return first?.manager;
}

/** Secret → what the dashboard keeps of it; the values are read once for validation and the digest. */
export function dashboardCredential(secret: V1Secret, digestKey: DigestKey): DashboardCredential {
  const entry: DashboardCredential = {
    ...credentialEntry(secret),
    dataDigest: createHmac('sha256', digestKey).update(mirrorDataHash(secret.data)).digest('hex'),
  };
  const createdBy = creatorOf(secret.metadata?.managedFields);
  if (createdBy) entry.createdBy = createdBy;
  return entry;
}
