import { keys } from '../contract/keys.js';
import { mirroredFromValue } from '../mirror/mirrorSecret.js';
import { credentialStatus, type CredentialStatus } from './credentialStatus.js';
import type { DashboardCredential } from './dashboardCredential.js';
import { copiesBySource, isClusterSource, propagationOf, sourceOf, type Propagation } from './propagation.js';
import type { DashboardSnapshot } from './snapshot.js';
import { stalenessById } from './staleness.js';
import type { CredentialStaleness } from '../view/staleness.js';

export type ScopeKind = 'namespace' | 'cluster' | 'mirror';

export interface CredentialScope {
  kind: ScopeKind;
  /** `namespace`, `cluster (team=ml)`, `mirror of credinject/hf-shared`. */
  text: string;
}

/** One line of the credentials table. Metadata, status and counts only: never a value or a digest. */
export interface CredentialRow {
  /** `<namespace>/<name>`: the detail view's address. */
  id: string;
  name: string;
  namespace: string;
  description: string;
  type: string;
  status: CredentialStatus;
  scope: CredentialScope;
  inUse: number;
  /**
   * Users (Pods and workloads) running an older version of a key they take as env (view/staleness.ts);
   * null when none is but some cannot be told (no versions recorded, or the digest key not readable): "?".
   */
  stale: number | null;
  createdBy: string;
  /** ISO time, or empty when unknown. */
  createdAt: string;
}

export function scopeOf(credential: DashboardCredential): CredentialScope {
  const source = sourceOf(credential);
  if (source !== undefined) return { kind: 'mirror', text: `mirror of ${source}` };
  if (isClusterSource(credential)) {
    const selector = credential.info.annotations[keys.namespaceSelector];
    return { kind: 'cluster', text: selector ? `cluster (${selector})` : 'cluster (no namespace selector)' };
  }
  return { kind: 'namespace', text: 'namespace' };
}

/** The propagation of every cluster source, by its id, worked out once for rows and details. */
export function propagations(snapshot: DashboardSnapshot): Map<string, Propagation> {
  const copies = copiesBySource(snapshot.credentials);
  const result = new Map<string, Propagation>();
  for (const credential of snapshot.credentials) {
    if (!isClusterSource(credential)) continue;
    const id = mirroredFromValue(credential.info);
    result.set(id, propagationOf(credential, copies.get(id) ?? [], snapshot));
  }
  return result;
}

export function credentialRow(credential: DashboardCredential, snapshot: DashboardSnapshot, propagation: Propagation | undefined, staleness: CredentialStaleness | undefined): CredentialRow {
  const { info } = credential;
  return {
    id: mirroredFromValue(info),
    name: info.name,
    namespace: info.namespace,
    description: info.annotations[keys.description] ?? '',
    type: info.type,
    status: credentialStatus(credential, propagation, snapshot.now),
    scope: scopeOf(credential),
    inUse: snapshot.usage.usersOf(info.namespace, info.name, 0).total,
    stale: staleness ? staleness.stale : null,
    createdBy: info.createdBy ?? '',
    createdAt: info.createdAt ?? '',
  };
}

/** The table, by namespace then name (the page sorts again by whatever column the user picks). */
export function credentialRows(snapshot: DashboardSnapshot): CredentialRow[] {
  const byId = propagations(snapshot);
  const stale = stalenessById(snapshot);
  return snapshot.credentials
    .map((credential) => credentialRow(credential, snapshot, byId.get(mirroredFromValue(credential.info)), stale.get(mirroredFromValue(credential.info))))
    .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
