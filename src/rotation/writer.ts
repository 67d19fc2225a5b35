import { apiStatus, type KubeApi } from '../kube/kubeApi.js';
import { resourcePath } from '../kube/kindListers.js';
import { kindInfo } from '../contract/workloadKinds.js';
import { keys } from '../contract/keys.js';
import { restartableKinds, type Restart } from './plan.js';

/** Outcome of one restart patch: written, or the workload is gone (nothing to restart). Other errors throw. */
export type PatchOutcome = 'patched' | 'gone';

export type RestartPatcher = (restart: Restart) => Promise<PatchOutcome>;

/**
 * The restart itself: a merge patch of the pod template's `credinject.dev/restarted-for`, which the
 * workload's controller rolls out like `kubectl rollout restart` does with its own annotation. Only
 * that one annotation is written, so a GitOps tool told to ignore it sees no drift.
 */
export function restartPatch(restart: Restart): object {
  return { spec: { template: { metadata: { annotations: { [keys.restartedFor]: restart.restartedFor } } } } };
}

export function kubeRestartPatcher(api: KubeApi): RestartPatcher {
  return async (restart) => {
    if (!restartableKinds.includes(restart.kind)) throw new Error(`${restart.kind} is never restarted`);
    const path = resourcePath(kindInfo(restart.kind), restart.namespace, restart.name);
    try {
      await api.call({ method: 'PATCH', path, body: restartPatch(restart) });
      return 'patched';
    } catch (err) {
      if (apiStatus(err) === 404) return 'gone';
      throw err;
    }
  };
}
