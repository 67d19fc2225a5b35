import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { type KindInfo, kindInfo, type UserKind } from '../contract/workloadKinds.js';

export interface ListPage {
  limit: number;
  _continue?: string;
  labelSelector?: string;
}

/** One page of a list, cluster-wide or in one namespace. */
export type Lister = (page: ListPage) => Promise<KubernetesListObject<KubernetesObject>>;

interface Apis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

type ListerPair = {
  all(apis: Apis, page: ListPage): Promise<KubernetesListObject<KubernetesObject>>;
  namespaced(apis: Apis, page: ListPage & { namespace: string }): Promise<KubernetesListObject<KubernetesObject>>;
};

/**
 * client-node's typed list calls by kind. A `Record` over every kind of the one table in
 * contract/workloadKinds.ts: a kind added there and not here does not compile.
 */
type ListedKind = UserKind | 'Secret' | 'ServiceAccount';

const listers: Readonly<Record<ListedKind, ListerPair>> = {
  Pod: { all: (a, p) => a.core.listPodForAllNamespaces(p), namespaced: (a, p) => a.core.listNamespacedPod(p) },
  Secret: { all: (a, p) => a.core.listSecretForAllNamespaces(p), namespaced: (a, p) => a.core.listNamespacedSecret(p) },
  ServiceAccount: {
    all: (a, p) => a.core.listServiceAccountForAllNamespaces(p),
    namespaced: (a, p) => a.core.listNamespacedServiceAccount(p),
  },
  Deployment: { all: (a, p) => a.apps.listDeploymentForAllNamespaces(p), namespaced: (a, p) => a.apps.listNamespacedDeployment(p) },
  StatefulSet: { all: (a, p) => a.apps.listStatefulSetForAllNamespaces(p), namespaced: (a, p) => a.apps.listNamespacedStatefulSet(p) },
  DaemonSet: { all: (a, p) => a.apps.listDaemonSetForAllNamespaces(p), namespaced: (a, p) => a.apps.listNamespacedDaemonSet(p) },
  ReplicaSet: { all: (a, p) => a.apps.listReplicaSetForAllNamespaces(p), namespaced: (a, p) => a.apps.listNamespacedReplicaSet(p) },
  Job: { all: (a, p) => a.batch.listJobForAllNamespaces(p), namespaced: (a, p) => a.batch.listNamespacedJob(p) },
  CronJob: { all: (a, p) => a.batch.listCronJobForAllNamespaces(p), namespaced: (a, p) => a.batch.listNamespacedCronJob(p) },
};

/** Makes listers for one kubeconfig; the API clients are created once. */
export function kindListers(kubeConfig: KubeConfig): (kind: ListedKind, namespace?: string) => Lister {
  const apis: Apis = {
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
  };
  return (kind, namespace) => {
    const pair = listers[kind];
    return namespace === undefined ? (page) => pair.all(apis, page) : (page) => pair.namespaced(apis, { ...page, namespace });
  };
}

/** The cluster-wide watch path of a kind, e.g. `/apis/apps/v1/deployments`. */
export function watchPath(info: Pick<KindInfo, 'apiVersion' | 'plural'>): string {
  return info.apiVersion === 'v1' ? `/api/v1/${info.plural}` : `/apis/${info.apiVersion}/${info.plural}`;
}

/** The Secret resource, which is not a user kind but is listed and watched the same way. */
export const secretResource = { apiVersion: 'v1', plural: 'secrets' } as const;
export const serviceAccountResource = { apiVersion: 'v1', plural: 'serviceaccounts' } as const;
export const namespaceResource = { apiVersion: 'v1', plural: 'namespaces' } as const;

/** Pages of the cluster's Namespaces (cluster-scoped, so not one of the kinds above). */
export function namespaceLister(kubeConfig: KubeConfig): Lister {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return (page) => core.listNamespace(page);
}

