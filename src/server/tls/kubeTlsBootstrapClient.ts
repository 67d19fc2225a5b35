import type { V1MutatingWebhookConfiguration, V1Secret } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from '../../kube/kubeApi.js';
import { resourcePath, secretResource } from '../../kube/kindListers.js';
import type { TlsBootstrapClient } from './selfSignedBootstrap.js';

const webhookConfigurations = {
  mutating: { apiVersion: 'admissionregistration.k8s.io/v1', plural: 'mutatingwebhookconfigurations' },
  validating: { apiVersion: 'admissionregistration.k8s.io/v1', plural: 'validatingwebhookconfigurations' },
} as const;

/** The self-signed bootstrap's API calls; 409s become values, the rest throws. */
export function kubeTlsBootstrapClient(api: KubeApi): TlsBootstrapClient {
  const secretPath = (namespace: string, name?: string) => resourcePath(secretResource, namespace, name);
  return {
    async createSecret(namespace, body) {
      try {
        await api.call({ method: 'POST', path: secretPath(namespace), body });
        return 'created';
      } catch (err) {
        if (apiStatus(err) === 409) return 'exists';
        throw err;
      }
    },
    readSecret: (namespace, name) => api.call<V1Secret>({ method: 'GET', path: secretPath(namespace, name) }),
    async replaceSecret(namespace, body) {
      try {
        await api.call({ method: 'PUT', path: secretPath(namespace, body.metadata?.name ?? ''), body });
        return 'replaced';
      } catch (err) {
        if (apiStatus(err) === 409) return 'conflict';
        throw err;
      }
    },
    async readWebhookConfiguration(kind, name) {
      // Both kinds keep clientConfig.caBundle in the same place; the mutating type serves for both.
      const config = await api.call<V1MutatingWebhookConfiguration>({ method: 'GET', path: resourcePath(webhookConfigurations[kind], undefined, name) });
      const webhooks = (config.webhooks ?? []).map((webhook) => {
        const entry: { name: string; caBundle?: string } = { name: webhook.name };
        if (webhook.clientConfig.caBundle) entry.caBundle = webhook.clientConfig.caBundle;
        return entry;
      });
      return { webhooks };
    },
    async patchWebhookConfiguration(kind, name, body) {
      await api.call({ method: 'PATCH', patch: 'json', path: resourcePath(webhookConfigurations[kind], undefined, name), body });
    },
  };
}
