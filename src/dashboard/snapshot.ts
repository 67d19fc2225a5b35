import type { UsageIndex } from '../admission/store.js';
import type { VersionedSource } from '../view/versionedUsers.js';
import type { DashboardCredential } from './dashboardCredential.js';

/** An object that references credentials: a Pod, a workload or a ServiceAccount, reduced to names. */
export interface UserRecord {
  namespace: string;
  kind: string;
  name: string;
  /** Credential names its annotations ask for. */
  credentials: string[];
  /** Secret names its pod spec references by hand. */
  direct: string[];
  /** Its effective `credinject.dev/` request annotations (object and pod template), for how it consumes each. */
  request: Record<string, string>;
  /** A Pod's or workload's owner, version annotations and consumption source, for staleness; absent for a ServiceAccount. */
  versioned?: VersionedSource;
}

/** A Namespace as propagation needs it (when the user may list Namespaces). */
export interface NamespaceRecord {
  name: string;
  labels: Record<string, string>;
  terminating: boolean;
}

/** A list the user's RBAC refused: shown on the page, per namespace (`*` for the cluster-wide list). */
export interface AccessDenial {
  namespace: string;
  /** Plural resource name, e.g. `secrets`, `deployments`, `namespaces`. */
  resource: string;
  /** The API server's status message (no object content). */
  message: string;
}

/**
 * Everything the page is computed from, all already projected: no Secret value is in here, and the
 * data digests never leave the server (the model turns them into `current` flags).
 */
export interface DashboardSnapshot {
  credentials: readonly DashboardCredential[];
  usage: UsageIndex;
  users: readonly UserRecord[];
  /** Undefined when the user may not list Namespaces: missing mirrors cannot be told then. */
  namespaces?: readonly NamespaceRecord[];
  /** Where Secrets were listed: every namespace, or these. Propagation is judged only there. */
  secretsListedIn: 'all' | readonly string[];
  denied: readonly AccessDenial[];
  /** Why staleness is unknown: the digest key Secret could not be read (view/digestKeyAccess.ts); absent when it was. */
  digestKeyNotice?: { namespace: string; text: string };
  now: Date;
}
