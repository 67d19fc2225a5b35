import { createHmac, randomBytes } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { mirrorDataHash } from '../mirror/mirrorSecret.js';
import { credentialEntry, type CredentialEntry } from '../view/projections.js';

/**
 * The credential projection as the dashboard keeps it: the webhook's (metadata, key names,
 * problems, `expiresAt`, `createdBy`) plus a keyed
 * digest of its data, used only to tell whether a mirror holds what its source holds. The digest is
 * keyed per process and never leaves the server: the page gets `current: true/false`.
 */
export interface DashboardCredential extends CredentialEntry {
  dataDigest: string;
}

/** A per-process key, so a digest that escaped would tell nothing about the values. */
export type DigestKey = Buffer;
export const newDigestKey = (): DigestKey => randomBytes(32);

/**
 * Secret → what the dashboard keeps of it; the values are read once for validation and the digests.
 * With the shared digest key (`sharedKey`, when the user may read it) the entry keeps the per-key
 * keyed digests staleness compares, as the webhook's projection does; they stay on the server too.
 */
export function dashboardCredential(secret: V1Secret, digestKey: DigestKey, sharedKey?: Buffer): DashboardCredential {
  const entry: DashboardCredential = {
    ...credentialEntry(secret, sharedKey),
    dataDigest: createHmac('sha256', digestKey).update(mirrorDataHash(secret.data)).digest('hex'),
  };
  return entry;
}
