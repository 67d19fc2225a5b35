/**
 * Registers the shipped guard (the ValidatingAdmissionPolicy and its binding of deploy/credinject.yaml)
 * and waits until the API server enforces it: a new policy is enforced only once kube-apiserver has
 * loaded and type-checked it, a moment after it is stored.
 */
import { AdmissionregistrationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

import { guardPolicy, type GuardPolicy } from '../../deploy/deployManifests.js';
import { pollUntil } from './controlPlane.js';
import { apiErrorOf } from './kube.js';

export interface RegisteredGuard extends GuardPolicy {
  /** Deletes the binding (the policy is then enforced nowhere) and the policy. */
  remove(): Promise<void>;
}

/** What the API server says when the guard denies: `ValidatingAdmissionPolicy '<name>' with binding ... denied request`. */
export function deniedByGuard(message: string | undefined, guard: GuardPolicy): boolean {
  return message?.includes(`ValidatingAdmissionPolicy '${guard.policy.metadata!.name}'`) === true && message.includes('denied request');
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (apiErrorOf(err)?.code !== 404) throw err;
  }
}

/**
 * Creates (or replaces) the policy and binding, then waits until a dry-run Pod that asks for a
 * credential and was not injected is denied by the guard. Call it before the webhooks exist (or
 * while they are not called): an annotated Pod would otherwise be injected or denied by them first.
 */
export async function registerGuard(kubeConfig: KubeConfig, probeNamespace = 'default'): Promise<RegisteredGuard> {
  const api = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const guard = guardPolicy();
  const policyName = guard.policy.metadata!.name!;
  const bindingName = guard.binding.metadata!.name!;
  await api.deleteValidatingAdmissionPolicyBinding({ name: bindingName }).catch(() => undefined);
  await api.deleteValidatingAdmissionPolicy({ name: policyName }).catch(() => undefined);
  await api.createValidatingAdmissionPolicy({ body: guard.policy });
  await api.createValidatingAdmissionPolicyBinding({ body: guard.binding });
  await waitForGuardEnforced(kubeConfig, guard, probeNamespace);
  return {
    ...guard,
    async remove() {
      await ignoreNotFound(api.deleteValidatingAdmissionPolicyBinding({ name: bindingName }));
      await ignoreNotFound(api.deleteValidatingAdmissionPolicy({ name: policyName }));
    },
  };
}

export async function waitForGuardEnforced(kubeConfig: KubeConfig, guard: GuardPolicy, namespace = 'default', timeoutMs = 30_000): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await pollUntil(
    `ValidatingAdmissionPolicy ${guard.policy.metadata!.name} to be enforced`,
    async () => {
      const err = await core
        .createNamespacedPod({
          namespace,
          dryRun: 'All',
          body: {
            metadata: { generateName: 'guard-probe-', annotations: { 'credinject.dev/inject': 'credinject-e2e-guard-probe' } },
            spec: { containers: [{ name: 'probe', image: 'registry.example.com/probe:1' }] },
          },
        })
        .then(() => undefined, apiErrorOf);
      return deniedByGuard(err?.message, guard) ? true : undefined;
    },
    timeoutMs,
  );
}
