/**
 * Small Kubernetes helpers for the e2e tests: API errors as values, test namespaces, the example
 * credentials, and reads that wait for what controllers create.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { ApiException, CoreV1Api, type KubeConfig, type V1Container, type V1Pod, type V1Secret } from '@kubernetes/client-node';

import { parseManifests } from '../../deploy/deployManifests.js';
import { pollUntil, type ControlPlane } from './controlPlane.js';

export const EXAMPLE_CREDENTIALS = fileURLToPath(new URL('../../../examples/credentials.yaml', import.meta.url));

export interface ApiError {
  code: number;
  /** `message` of the API's Status body (e.g. `admission webhook "…" denied the request: …`). */
  message: string;
  reason?: string;
}

/** The Status of a failed API call, or undefined when `err` is not an API error (rethrow those). */
export function apiErrorOf(err: unknown): ApiError | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const raw: unknown = err.body;
  let status: { message?: unknown; reason?: unknown } = {};
  if (typeof raw === 'string') {
    try {
      status = JSON.parse(raw) as typeof status;
    } catch {
      status = { message: raw };
    }
  } else if (typeof raw === 'object' && raw !== null) {
    status = raw as typeof status;
  }
  const message = typeof status.message === 'string' ? status.message : String(err.message);
  return { code: err.code, message, ...(typeof status.reason === 'string' ? { reason: status.reason } : {}) };
}

/** Runs `call`, which must fail with an API error; returns that error (throws if it succeeded). */
export async function expectApiError(call: Promise<unknown>): Promise<ApiError> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    const apiError = apiErrorOf(err);
    if (!apiError) throw err;
    return apiError;
  }
  throw new Error(`expected the API call to fail, but it succeeded: ${JSON.stringify(result).slice(0, 300)}`);
}

export function isNotFound(err: unknown): boolean {
  return apiErrorOf(err)?.code === 404;
}

/** Creates a namespace with a unique name and waits for its default ServiceAccount (pods need it). */
export async function createTestNamespace(cp: ControlPlane, prefix: string): Promise<string> {
  const core = cp.kubeConfig.makeApiClient(CoreV1Api);
  const name = `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  await core.createNamespace({ body: { metadata: { name } } });
  await cp.waitForDefaultServiceAccount(name, 30_000);
  return name;
}

/** The Secrets of examples/credentials.yaml, by name (namespace-less). */
export function exampleCredentials(): Map<string, V1Secret> {
  const secrets = parseManifests(readFileSync(EXAMPLE_CREDENTIALS, 'utf8')) as V1Secret[];
  return new Map(secrets.map((s) => [s.metadata!.name!, s]));
}

/** Creates the named example credentials (default: all of them) in `namespace`. */
export async function createExampleCredentials(kubeConfig: KubeConfig, namespace: string, names?: string[]): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const examples = exampleCredentials();
  for (const name of names ?? [...examples.keys()]) {
    const secret = examples.get(name);
    if (!secret) throw new Error(`examples/credentials.yaml has no credential "${name}"`);
    await core.createNamespacedSecret({ namespace, body: { ...structuredClone(secret), metadata: { ...secret.metadata, namespace } } });
  }
}

/**
 * The start of most e2e scenarios: a fresh namespace holding the named example credentials and
 * any `extra` Secrets, each already known to the webhook's cache. Returns the namespace.
 */
export async function namespaceWithCredentials(cp: ControlPlane, prefix: string, names: string[], extra: V1Secret[] = []): Promise<string> {
  const namespace = await createTestNamespace(cp, prefix);
  await createExampleCredentials(cp.kubeConfig, namespace, names);
  const core = cp.kubeConfig.makeApiClient(CoreV1Api);
  for (const body of extra) await core.createNamespacedSecret({ namespace, body });
  await waitForCredentialsCached(cp.kubeConfig, namespace, [...names, ...extra.map((secret) => secret.metadata!.name!)]);
  return namespace;
}

/**
 * Waits until the webhook server's credential cache (an informer) has seen every named credential:
 * a dry-run Pod referencing them is admitted. Right after creating a Secret the cache may lag.
 */
export async function waitForCredentialsCached(kubeConfig: KubeConfig, namespace: string, names: string[], timeoutMs = 20_000): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await pollUntil(
    `the webhook to know credentials ${names.join(', ')} in ${namespace}`,
    async () => {
      await core.createNamespacedPod({
        namespace,
        dryRun: 'All',
        body: {
          metadata: { generateName: 'cache-probe-', annotations: { 'credinject.dev/inject': names.join(', ') } },
          spec: { containers: [{ name: 'probe', image: 'registry.example.com/probe:1' }] },
        },
      });
      return true;
    },
    timeoutMs,
  );
}

/** A plain Pod body with one container `app`, annotated to inject `inject` (when given). */
export function podRequesting(name: string, inject: string | undefined, container: Partial<V1Container> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(inject !== undefined ? { annotations: { 'credinject.dev/inject': inject } } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'registry.example.com/app:1', ...container }],
    },
  };
}

/** Polls the pods matching `labelSelector` until there is at least one; returns them. */
export async function waitForPods(kubeConfig: KubeConfig, namespace: string, labelSelector: string, timeoutMs = 45_000): Promise<V1Pod[]> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return pollUntil(
    `pods ${labelSelector} in ${namespace}`,
    async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector });
      return list.items.length > 0 ? list.items : undefined;
    },
    timeoutMs,
  );
}

export function containerOf(pod: V1Pod, name: string): V1Container {
  const found = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
  if (!found) throw new Error(`pod ${pod.metadata?.name} has no container "${name}"`);
  return found;
}

export function envNames(container: V1Container): string[] {
  return (container.env ?? []).map((e) => e.name);
}

/** How often each value occurs more than once (empty when all are distinct). */
export function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
