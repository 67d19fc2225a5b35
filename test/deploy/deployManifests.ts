/**
 * The shipped manifests (deploy/, rendered from charts/credinject by hack/render-deploy.sh), read as
 * objects, and the webhook configurations rewritten for a test harness that serves the webhooks
 * itself at an https URL (clientConfig.url) instead of through the in-cluster Service.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type {
  AdmissionregistrationV1WebhookClientConfig as WebhookClientConfig,
  KubernetesObject,
  V1MutatingWebhookConfiguration,
  V1ValidatingAdmissionPolicy,
  V1ValidatingAdmissionPolicyBinding,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_MANIFEST = fileURLToPath(new URL('../../deploy/credinject.yaml', import.meta.url));

/** Every object of a multi-document YAML text (empty documents skipped). */
export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}`);
      return doc.toJS() as KubernetesObject | null;
    })
    .filter((obj): obj is KubernetesObject => obj !== null && typeof obj === 'object');
}

/** The objects of deploy/credinject.yaml (or of `text`, e.g. other `helm template` output). */
export function loadDeployManifests(text = readFileSync(DEPLOY_MANIFEST, 'utf8')): KubernetesObject[] {
  return parseManifests(text);
}

function only<T extends KubernetesObject>(objects: KubernetesObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return structuredClone(found[0]) as T;
}

export interface WebhookConfigurations {
  mutating: V1MutatingWebhookConfiguration;
  validating: V1ValidatingWebhookConfiguration;
}

/** The two webhook configurations of the manifests, as shipped (service clientConfig). */
export function webhookConfigurations(objects: KubernetesObject[] = loadDeployManifests()): WebhookConfigurations {
  return {
    mutating: only<V1MutatingWebhookConfiguration>(objects, 'MutatingWebhookConfiguration'),
    validating: only<V1ValidatingWebhookConfiguration>(objects, 'ValidatingWebhookConfiguration'),
  };
}

/** The guard of the manifests: the ValidatingAdmissionPolicy and its binding, as shipped. */
export interface GuardPolicy {
  policy: V1ValidatingAdmissionPolicy;
  binding: V1ValidatingAdmissionPolicyBinding;
}

export function guardPolicy(objects: KubernetesObject[] = loadDeployManifests()): GuardPolicy {
  return {
    policy: only<V1ValidatingAdmissionPolicy>(objects, 'ValidatingAdmissionPolicy'),
    binding: only<V1ValidatingAdmissionPolicyBinding>(objects, 'ValidatingAdmissionPolicyBinding'),
  };
}

export interface UrlClientConfig {
  /** Base URL of the webhook server, e.g. `https://127.0.0.1:8443`; the path of each webhook
   *  (`/mutate`, `/validate`) is appended. */
  url: string;
  /** PEM of the CA that signed the server's certificate (its SANs must include the URL's host). */
  caPem: string;
}

function urlClientConfig(original: WebhookClientConfig | undefined, to: UrlClientConfig): WebhookClientConfig {
  const path = original?.service?.path ?? (original?.url ? new URL(original.url).pathname : undefined);
  if (!path) throw new Error('a webhook has neither clientConfig.service.path nor clientConfig.url');
  return {
    url: `${to.url.replace(/\/+$/, '')}${path}`,
    caBundle: Buffer.from(to.caPem, 'utf8').toString('base64'),
  };
}

/**
 * The shipped webhook configurations with every webhook's clientConfig replaced by
 * `{ url: <to.url><path>, caBundle: base64(to.caPem) }`. Everything else (names, rules, selectors,
 * matchConditions, failure policies) stays as shipped, so a test exercises the real configuration.
 * The inputs are not modified.
 */
export function webhookConfigurationsForUrl(
  to: UrlClientConfig,
  configs: WebhookConfigurations = webhookConfigurations(),
): WebhookConfigurations {
  const { mutating, validating } = structuredClone(configs);
  for (const hook of mutating.webhooks ?? []) hook.clientConfig = urlClientConfig(hook.clientConfig, to);
  for (const hook of validating.webhooks ?? []) hook.clientConfig = urlClientConfig(hook.clientConfig, to);
  return { mutating, validating };
}
