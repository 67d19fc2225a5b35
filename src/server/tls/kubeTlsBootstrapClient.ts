import {
  AdmissionregistrationV1Api,
  ApiException,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { TlsBootstrapClient } from './selfSignedBootstrap.js';

function isConflict(err: unknown): boolean {
  return err instanceof ApiException && err.code === 409;
}

/** The self-signed bootstrap's API calls over client-node; 409s become values, the rest throws. */
export function kubeTlsBootstrapClient(kubeConfig: KubeConfig): TlsBootstrapClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
  return {
    async createSecret(namespace, body) {
      try {
        await core.createNamespacedSecret({ namespace, body });
        return 'created';
      } catch (err) {
        if (isConflict(err)) return 'exists';
        throw err;
      }
    },
    readSecret: (namespace, name) => core.readNamespacedSecret({ namespace, name }),
    async replaceSecret(namespace, body) {
      try {
        await core.replaceNamespacedSecret({ namespace, name: body.metadata?.name ?? '', body });
        return 'replaced';
      } catch (err) {
        if (isConflict(err)) return 'conflict';
        throw err;
      }
    },
    async readWebhookConfiguration(kind, name) {
      const config =
        kind === 'mutating'
          ? await admission.readMutatingWebhookConfiguration({ name })
          : await admission.readValidatingWebhookConfiguration({ name });
      const webhooks = (config.webhooks ?? []).map((webhook) => {
        const entry: { name: string; caBundle?: string } = { name: webhook.name };
        if (webhook.clientConfig.caBundle) entry.caBundle = webhook.clientConfig.caBundle;
        return entry;
      });
      return { webhooks };
    },
    async patchWebhookConfiguration(kind, name, body) {
      if (kind === 'mutating') await admission.patchMutatingWebhookConfiguration({ name, body }, jsonPatch);
      else await admission.patchValidatingWebhookConfiguration({ name, body }, jsonPatch);
    },
  };
}
