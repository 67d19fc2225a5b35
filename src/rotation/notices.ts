import type { EventRequest } from '../kube/eventPlan.js';
import { kindInfo } from '../contract/workloadKinds.js';
import type { HeldRotation, Restart } from './plan.js';

const listed = (names: readonly string[], limit = 5): string =>
  names.length <= limit ? names.join(', ') : `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;

/**
 * `Normal CredentialRotated` on a restarted workload: the credentials and the keys that made the
 * restart necessary (key names and digests only, never a value).
 */
export function rotatedEvent(restart: Restart): EventRequest {
  const parts = restart.reasons.map((reason) =>
    reason.keysChanged
      ? `credential "${reason.credential}" changed ${listed(reason.keys)}, taken as env`
      : `its pods run an older version of credential "${reason.credential}" (${listed(reason.keys)}, taken as env)`,
  );
  return {
    regarding: { apiVersion: kindInfo(restart.kind).apiVersion, kind: restart.kind, namespace: restart.namespace, name: restart.name, ...(restart.uid ? { uid: restart.uid } : {}) },
    type: 'Normal',
    reason: 'CredentialRotated',
    action: 'Restart',
    note: `restarted: ${parts.join('; ')} (restarted-for ${restart.restartedFor})`,
  };
}

/** `Warning RotationHeld` on the credential Secret: which rules broke, who keeps the old data, how to go on. */
export function heldEvent(held: HeldRotation): EventRequest {
  return {
    regarding: { apiVersion: 'v1', kind: 'Secret', namespace: held.namespace, name: held.credential },
    type: 'Warning',
    reason: 'RotationHeld',
    action: 'Hold',
    note:
      `rotation held: credential "${held.credential}" breaks ${listed(held.rules)} (credinject validate shows each problem); ` +
      `${listed(held.workloads)} keep running the previous data and restart once the data is valid`,
  };
}
