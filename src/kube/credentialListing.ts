import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Secret,
} from '@kubernetes/client-node';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { keys } from '../engine/annotationKeys.js';
import { referencedCredentials } from '../engine/referencedCredentials.js';
import { createUsageIndex, type MutableUsageIndex } from './usageIndex.js';

type Page = { limit: number; _continue?: string; labelSelector?: string };
type Lister = (page: Page) => Promise<KubernetesListObject<KubernetesObject>>;

async function listAll(list: Lister, labelSelector?: string): Promise<KubernetesObject[]> {
  const items: KubernetesObject[] = [];
  let continueToken: string | undefined;
  do {
    const page = await list({ limit: 500, ...(continueToken ? { _continue: continueToken } : {}), ...(labelSelector ? { labelSelector } : {}) });
    items.push(...page.items);
    continueToken = page.metadata?._continue;
  } while (continueToken);
  return items;
}

export interface CredentialListing {
  credentials: CredentialInfo[];
  usage: MutableUsageIndex;
}

/**
 * One-shot snapshot for `credinject list`: credential Secrets (by label) and the Pods and workloads
 * that reference them, in one namespace or all (`namespace` undefined). Values are dropped on arrival.
 */
export async function listCredentials(kubeConfig: KubeConfig, namespace: string | undefined): Promise<CredentialListing> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const ns = namespace;
  const pick = (all: Lister, namespaced: (p: Page & { namespace: string }) => Promise<KubernetesListObject<KubernetesObject>>): Lister =>
    ns === undefined ? all : (page) => namespaced({ ...page, namespace: ns });
  const users: [string, Lister][] = [
    ['Pod', pick((p) => core.listPodForAllNamespaces(p), (p) => core.listNamespacedPod(p))],
    ['Deployment', pick((p) => apps.listDeploymentForAllNamespaces(p), (p) => apps.listNamespacedDeployment(p))],
    ['StatefulSet', pick((p) => apps.listStatefulSetForAllNamespaces(p), (p) => apps.listNamespacedStatefulSet(p))],
    ['DaemonSet', pick((p) => apps.listDaemonSetForAllNamespaces(p), (p) => apps.listNamespacedDaemonSet(p))],
    ['ReplicaSet', pick((p) => apps.listReplicaSetForAllNamespaces(p), (p) => apps.listNamespacedReplicaSet(p))],
    ['Job', pick((p) => batch.listJobForAllNamespaces(p), (p) => batch.listNamespacedJob(p))],
    ['CronJob', pick((p) => batch.listCronJobForAllNamespaces(p), (p) => batch.listNamespacedCronJob(p))],
  ];
  const secrets = pick((p) => core.listSecretForAllNamespaces(p), (p) => core.listNamespacedSecret(p));

  const [secretItems, ...userItems] = await Promise.all([
    listAll(secrets, keys.typeLabel),
    ...users.map(([, list]) => listAll(list)),
  ]);
  const usage = createUsageIndex();
  users.forEach(([kind], index) => {
    for (const object of userItems[index] ?? []) {
      const metadata = object.metadata ?? {};
      // List items come without `kind`; the engine finds the pod template by it.
      usage.set({ namespace: metadata.namespace ?? '', kind, name: metadata.name ?? '', credentials: referencedCredentials({ ...object, kind }) });
    }
  });
  const credentials = secretItems.map((secret) => describeCredential(secret as V1Secret));
  return { credentials, usage };
}
