import type { AdmissionRequest } from '../admission/review.js';
import { isRecord } from '../contract/json.js';
import type { BlockedDeletion } from '../contract/decision.js';
import { keys } from '../contract/keys.js';
import type { EventRequest } from '../kube/eventRecorder.js';

/**
 * The Warning Event `DeletionBlocked` on a credential Secret whose deletion (or loss of its type
 * label) was refused, naming who tried and the first users. Written by whichever replica answered:
 * the Event's name is fixed per Secret and reason, so repeats from any replica count in one series.
 */
export function deletionBlockedEvent(request: AdmissionRequest, blocked: BlockedDeletion): EventRequest {
  const stored = request.oldObject ?? request.object;
  const uid = isRecord(stored) && isRecord(stored.metadata) && typeof stored.metadata.uid === 'string' ? stored.metadata.uid : undefined;
  const more = blocked.total > blocked.users.length ? ` and ${blocked.total - blocked.users.length} more` : '';
  const by = request.userInfo.username ? ` for ${request.userInfo.username}` : '';
  const what = request.operation === 'DELETE' ? 'deletion' : `removal of the ${keys.typeLabel} label`;
  return {
    regarding: { apiVersion: 'v1', kind: 'Secret', namespace: blocked.namespace, name: blocked.credential, ...(uid ? { uid } : {}) },
    type: 'Warning',
    reason: 'DeletionBlocked',
    action: request.operation === 'DELETE' ? 'Delete' : 'Update',
    note:
      `${what} of credential "${blocked.credential}" refused${by}: used by ${blocked.total} ` +
      `object${blocked.total === 1 ? '' : 's'}: ${blocked.users.join(', ')}${more}`,
  };
}
