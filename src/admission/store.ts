import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { ServiceAccountLookup } from '../engine/serviceAccountRequest.js';

export type { ServiceAccountLookup };

/** Who references a credential: the total and the users as `Kind/name`, most telling first. */
export interface CredentialUsers {
  total: number;
  users: string[];
}

/**
 * Answers "who uses this credential?" for deletion protection. Implemented in memory by `kube/`
 * (fed by informers) and by static mode; the admission handlers only see this interface.
 */
export interface UsageIndex {
  /** `users` holds at most `limit` users, the most telling first; `total` counts them all. */
  usersOf(namespace: string, credential: string, limit?: number): CredentialUsers;
}

/** The request annotations of ServiceAccounts that carry any (docs/reference.md, "Namespace opt-in"). */

/** What the admission handlers read: credential metadata and usage, never the cluster itself. */
export interface AdmissionStore {
  credentials: CredentialLookup;
  usage: UsageIndex;
  /** Absent where there are no ServiceAccounts to read (a credentials file). */
  serviceAccounts?: ServiceAccountLookup;
  /**
   * False while a usage informer is not known good (its watch failed, stalled or is relisting):
   * `usage` may be missing a user, so deletion protection answers conservatively. Absent: true.
   */
  usageCurrent?(): boolean;
}
