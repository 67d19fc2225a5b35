import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { abortable } from './abortable.js';
import { type KindInfo, kindInfo, type UserKind } from '../contract/workloadKinds.js';

export interface ListPage {
  limit: number;
  _continue?: string;
  labelSelector?: string;
}

/** One page of a list, cluster-wide or in one namespace; aborted with `signal`. */
export type Lister = (page: ListPage, signal?: AbortSignal) => Promise<KubernetesListObject<KubernetesObject>>;

interface Apis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

type CallOptions = ReturnType<typeof abortable>;
type ListerPair = {
  all(apis: Apis, page: ListPage, options: CallOptions): Promise<KubernetesListObject<KubernetesObject>>;
  namespaced(apis: Apis, page: ListPage & { namespace: string }, options: CallOptions): Promise<KubernetesListObject<KubernetesObject>>;
};

/**
 * client-node's typed list calls by kind. A `Record` over every kind of the one table in
 * contract/workloadKinds.ts: a kind added there and not here does not compile.
 */
type ListedKind = UserKind | 'Secret' | 'ServiceAccount';

const listers: Readonly<Record<ListedKind, ListerPair>> = {
  Pod: { all: (a, p, o) => a.core.listPodForAllNamespaces(p, o), namespaced: (a, p, o) => a.core.listNamespacedPod(p, o) },
  Secret: { all: (a, p, o) => a.core.listSecretForAllNamespaces(p, o), namespaced: (a, p, o) => a.core.listNamespacedSecret(p, o) },
  ServiceAccount: {
    all: (a, p, o) => a.core.listServiceAccountForAllNamespaces(p, o),
    namespaced: (a, p, o) => a.core.listNamespacedServiceAccount(p, o),
  },
  Deployment: { all: (a, p, o) => a.apps.listDeploymentForAllNamespaces(p, o), namespaced: (a, p, o) => a.apps.listNamespacedDeployment(p, o) },
  StatefulSet: { all: (a, p, o) => a.apps.listStatefulSetForAllNamespaces(p, o), namespaced: (a, p, o) => a.apps.listNamespacedStatefulSet(p, o) },
  DaemonSet: { all: (a, p, o) => a.apps.listDaemonSetForAllNamespaces(p, o), namespaced: (a, p, o) => a.apps.listNamespacedDaemonSet(p, o) },
  ReplicaSet: { all: (a, p, o) => a.apps.listReplicaSetForAllNamespaces(p, o), namespaced: (a, p, o) => a.apps.listNamespacedReplicaSet(p, o) },
  Job: { all: (a, p, o) => a.batch.listJobForAllNamespaces(p, o), namespaced: (a, p, o) => a.batch.listNamespacedJob(p, o) },
  CronJob: { all: (a, p, o) => a.batch.listCronJobForAllNamespaces(p, o), namespaced: (a, p, o) => a.batch.listNamespacedCronJob(p, o) },
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
    return namespace === undefined
      ? (page, signal) => pair.all(apis, page, abortable(signal))
      : (page, signal) => pair.namespaced(apis, { ...page, namespace }, abortable(signal));
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
  return (page, signal) => core.listNamespace(page, abortable(signal));
}

