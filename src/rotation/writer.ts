import { ApiException, AppsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import type { Restart } from './plan.js';

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

export function kubeRestartPatcher(kubeConfig: KubeConfig): RestartPatcher {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const calls = {
    Deployment: (p: { name: string; namespace: string; body: object }) => apps.patchNamespacedDeployment(p, mergePatch),
    StatefulSet: (p: { name: string; namespace: string; body: object }) => apps.patchNamespacedStatefulSet(p, mergePatch),
    DaemonSet: (p: { name: string; namespace: string; body: object }) => apps.patchNamespacedDaemonSet(p, mergePatch),
  } as const;
  return async (restart) => {
    const call = (calls as Record<string, (typeof calls)['Deployment'] | undefined>)[restart.kind];
    if (!call) throw new Error(`${restart.kind} is never restarted`);
    try {
      await call({ name: restart.name, namespace: restart.namespace, body: restartPatch(restart) });
      return 'patched';
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return 'gone';
      throw err;
    }
  };
}
