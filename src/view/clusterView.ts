import type { KubeApi } from '../kube/kubeApi.js';
import { createCredentialStore } from './credentialStore.js';
import { createListGate } from '../kube/listGate.js';
import { startResilientInformer, type InformerOptions } from '../kube/resilientInformer.js';
import { watchedResources } from './watchedResources.js';
import { createServiceAccountStore } from './serviceAccountStore.js';
import { createUsageIndex } from './usageIndex.js';
import type { KubeView } from './view.js';

/**
 * The in-cluster view: one resilient informer per watched resource feeding the credential store,
 * the usage index and the ServiceAccounts' requests. The request path only reads these maps; it never calls the API server.
 */
export function startClusterView(api: KubeApi, options: InformerOptions & { digestKey?: Buffer }): KubeView {
  const credentials = createCredentialStore();
  const usage = createUsageIndex();
  const serviceAccounts = createServiceAccountStore();
  const { digestKey, ...rest } = options;
  // Nine informers list side by side: two pages in flight at once, of 100 objects (a page of 500
  // whole Pods is ~7 MB, more than the young generation holds), bound the listing peak (listGate.ts).
  const informerOptions: InformerOptions = { listGate: createListGate(), pageSize: 100, ...rest };
  const resources = watchedResources(api, { credentials, usage, serviceAccounts, ...(digestKey ? { digestKey } : {}) });
  // Secrets first, then Pods and workloads: the order informers start in (and report sync).
  const secrets = startResilientInformer(api, resources.secrets, informerOptions);
  const usageInformers = [
    ...resources.users.map((resource) => startResilientInformer(api, resource, informerOptions)),
    startResilientInformer(api, resources.serviceAccounts, informerOptions),
  ];
  const informers = [secrets, ...usageInformers];
  return {
    credentials,
    usage,
    serviceAccounts,
    informerHealth: () => Object.fromEntries(informers.map((informer) => [informer.name, informer.health()])),
    // The Secrets informer is not a usage informer: who uses a credential is known from the others.
    usageCurrent: () => usageInformers.every((informer) => informer.health().current),
    async stop() {
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}
