/**
 * Registers the shipped webhook configurations (deploy/credinject.yaml), rewritten to call a server at
 * an https URL, and waits until the API server actually calls them: configurations reach the
 * admission chain through an informer inside kube-apiserver, a moment after they are stored.
 */
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1MutatingWebhookConfiguration,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';

import { webhookConfigurationsForUrl, type UrlClientConfig, type WebhookConfigurations } from '../../deploy/deployManifests.js';
import { pollUntil } from './controlPlane.js';
import { apiErrorOf } from './kube.js';

export interface RegisteredWebhooks extends WebhookConfigurations {
  /** Deletes both configurations (ignoring ones already gone). */
  remove(): Promise<void>;
}

/** A credential name no test creates: referencing it is always denied while our webhooks are called. */
const PROBE_CREDENTIAL = 'credinject-e2e-probe-missing';

/**
 * Creates (or replaces) the two configurations for `to`, then waits until the API server calls them
 * (see waitForWebhooksActive). `edit` may change the configurations before they are sent.
 */
export async function registerWebhooks(
  kubeConfig: KubeConfig,
  to: UrlClientConfig,
  options: { probeNamespace?: string; edit?: (configs: WebhookConfigurations) => void } = {},
): Promise<RegisteredWebhooks> {
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const configs = webhookConfigurationsForUrl(to);
  options.edit?.(configs);
  await upsertMutating(admission, configs.mutating);
  await upsertValidating(admission, configs.validating);
  await waitForWebhooksActive(kubeConfig, options.probeNamespace ?? 'default');
  return {
    ...configs,
    async remove() {
      await ignoreNotFound(admission.deleteMutatingWebhookConfiguration({ name: configs.mutating.metadata!.name! }));
      await ignoreNotFound(admission.deleteValidatingWebhookConfiguration({ name: configs.validating.metadata!.name! }));
    },
  };
}

async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (apiErrorOf(err)?.code !== 404) throw err;
  }
}

export async function upsertMutating(api: AdmissionregistrationV1Api, body: V1MutatingWebhookConfiguration): Promise<void> {
  const name = body.metadata!.name!;
  try {
    const current = await api.readMutatingWebhookConfiguration({ name });
    await api.replaceMutatingWebhookConfiguration({
      name,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata!.resourceVersion! } },
    });
  } catch (err) {
    if (apiErrorOf(err)?.code !== 404) throw err;
    await api.createMutatingWebhookConfiguration({ body });
  }
}

export async function upsertValidating(api: AdmissionregistrationV1Api, body: V1ValidatingWebhookConfiguration): Promise<void> {
  const name = body.metadata!.name!;
  try {
    const current = await api.readValidatingWebhookConfiguration({ name });
    await api.replaceValidatingWebhookConfiguration({
      name,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata!.resourceVersion! } },
    });
  } catch (err) {
    if (apiErrorOf(err)?.code !== 404) throw err;
    await api.createValidatingWebhookConfiguration({ body });
  }
}

/**
 * Waits until both configurations are in the admission chain: a dry-run Pod naming a missing
 * credential is denied by `pods.mutate.credinject.dev`, and a dry-run credential Secret without data
 * by `secrets.validate.credinject.dev`. Dry runs store nothing; our webhooks declare sideEffects None.
 */
export async function waitForWebhooksActive(kubeConfig: KubeConfig, namespace = 'default', timeoutMs = 30_000): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await pollUntil(
    'pods.mutate.credinject.dev to be called',
    async () => {
      const err = await core
        .createNamespacedPod({
          namespace,
          dryRun: 'All',
          body: {
            metadata: { generateName: 'webhook-probe-', annotations: { 'credinject.dev/inject': PROBE_CREDENTIAL } },
            spec: { containers: [{ name: 'probe', image: 'registry.example.com/probe:1' }] },
          },
        })
        .then(() => undefined, apiErrorOf);
      return err?.message.includes('admission webhook "pods.mutate.credinject.dev" denied') ? true : undefined;
    },
    timeoutMs,
  );
  await pollUntil(
    'secrets.validate.credinject.dev to be called',
    async () => {
      const err = await core
        .createNamespacedSecret({
          namespace,
          dryRun: 'All',
          body: { metadata: { generateName: 'webhook-probe-', labels: { 'credinject.dev/type': 'aws' } }, stringData: {} },
        })
        .then(() => undefined, apiErrorOf);
      return err?.message.includes('admission webhook "secrets.validate.credinject.dev" denied') ? true : undefined;
    },
    timeoutMs,
  );
}

/** Sets the failurePolicy of the named mutating webhooks of configuration `configName`. */
export async function setMutatingFailurePolicy(
  kubeConfig: KubeConfig,
  configName: string,
  policy: 'Fail' | 'Ignore',
  webhookNames?: string[],
): Promise<void> {
  const api = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const current = await api.readMutatingWebhookConfiguration({ name: configName });
  for (const hook of current.webhooks ?? []) {
    if (!webhookNames || webhookNames.includes(hook.name)) hook.failurePolicy = policy;
  }
  await api.replaceMutatingWebhookConfiguration({ name: configName, body: current });
}

/** Sets the failurePolicy of the named validating webhooks of configuration `configName`. */
export async function setValidatingFailurePolicy(
  kubeConfig: KubeConfig,
  configName: string,
  policy: 'Fail' | 'Ignore',
  webhookNames?: string[],
): Promise<void> {
  const api = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const current = await api.readValidatingWebhookConfiguration({ name: configName });
  for (const hook of current.webhooks ?? []) {
    if (!webhookNames || webhookNames.includes(hook.name)) hook.failurePolicy = policy;
  }
  await api.replaceValidatingWebhookConfiguration({ name: configName, body: current });
}
