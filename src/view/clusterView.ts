import type { KubeConfig } from '@kubernetes/client-node';
import { createCredentialStore } from './credentialStore.js';
import { startResilientInformer, type InformerOptions } from '../kube/resilientInformer.js';
import { watchedResources } from './watchedResources.js';
import { createUsageIndex } from './usageIndex.js';
import type { KubeView } from './view.js';

/**
 * The in-cluster view: one resilient informer per watched resource feeding the credential store and
 * the usage index. The request path only reads these maps; it never calls the API server.
 */
export function startClusterView(kubeConfig: KubeConfig, options: InformerOptions): KubeView {
  const credentials = createCredentialStore();
  const usage = createUsageIndex();
  const [secrets, ...users] = watchedResources(kubeConfig, credentials, usage);
  const informers = [
    startResilientInformer(kubeConfig, secrets, options),
    ...users.map((resource) => startResilientInformer(kubeConfig, resource, options)),
  ];
  return {
    credentials,
    usage,
    syncState: () => Object.fromEntries(informers.map((informer) => [informer.name, informer.synced()])),
    async stop() {
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}
