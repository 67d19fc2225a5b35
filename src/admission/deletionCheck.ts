import type { Decision } from '../contract/decision.js';
import { keys } from '../contract/keys.js';
import { allowed } from './response.js';
import type { UsageIndex } from './store.js';

/** The user the namespace controller deletes as; its deletions are never blocked. */
export const namespaceControllerUser = 'system:serviceaccount:kube-system:namespace-controller';

/**
 * Controllers whose deletions of a credential are never blocked. Namespace teardown must finish. The
 * garbage collector deletes a Secret because its owner (an ExternalSecret, a SealedSecret) was
 * deleted on purpose; denying it only leaves an orphan and a retry loop. Without
 * `--use-service-account-credentials` every controller acts as `system:kube-controller-manager`.
 */
export const deletionExemptUsers: ReadonlySet<string> = new Set([
  namespaceControllerUser,
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:kube-controller-manager',
]);

/** How many users a denial names; the rest are counted, so the message stays short. */
export const namedUsersLimit = 5;

export interface DeletionRequest {
  /** Name of the Secret being deleted (from `oldObject`, else `request.name`). */
  name: string;
  namespace: string;
  /** The Secret's annotations as they were before the DELETE (`oldObject`). */
  annotations: Record<string, string>;
  /** `request.userInfo.username`. */
  username: string | undefined;
}

/**
 * Deletion protection for a credential Secret: deny while a Pod or workload template in its
 * namespace references it. Namespace teardown and garbage collection are never blocked (a stuck
 * Terminating namespace or an orphan retried forever is worse than a broken pod; see
 * `deletionExemptUsers`), and `allow-delete` is the break glass.
 *
 * While the usage view is not known good (`usageCurrent` false: a watch failed, stalled or is
 * relisting) "no users" may only mean "none seen yet", so that answer is a denial too: a refused
 * DELETE is retried in a moment, a wrongly allowed one breaks every pod that uses the credential.
 */
export function deletionCheck(request: DeletionRequest, usage: UsageIndex, usageCurrent = true): Decision {
  if (request.username !== undefined && deletionExemptUsers.has(request.username)) return allowed();
  if (request.annotations[keys.allowDelete] === 'true') return allowed();
  const { total, users } = usage.usersOf(request.namespace, request.name, namedUsersLimit);
  if (total === 0 && !usageCurrent) {
    return {
      patch: [],
      warnings: [],
      denial: {
        reason: 'UsageViewRefreshing',
        message:
          `credential "${request.name}" in namespace "${request.namespace}" cannot be checked for users right now: ` +
          `credinject's view of the cluster is being refreshed (a watch of the API server is restarting); ` +
          `retry shortly, or annotate the Secret ${keys.allowDelete}="true" to delete it anyway`,
      },
    };
  }
  if (total === 0) return allowed();
  const named = users.join(', ');
  const more = total > namedUsersLimit ? ` and ${total - namedUsersLimit} more` : '';
  return {
    patch: [],
    warnings: [],
    blockedDeletion: { credential: request.name, namespace: request.namespace, total, users },
    denial: {
      reason: 'CredentialInUse',
      message:
        `credential "${request.name}" is used by ${total} object${total === 1 ? '' : 's'} in namespace ` +
        `"${request.namespace}": ${named}${more}; remove the references first, or annotate the Secret ` +
        `${keys.allowDelete}="true" to delete it anyway`,
    },
  };
}
