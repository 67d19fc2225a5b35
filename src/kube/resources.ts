import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { WorkloadKind } from '../admission/kinds.js';
import { keys } from '../engine/annotationKeys.js';
import type { CredentialStore } from './credentialStore.js';
import { credentialEntry, usageEntry, type CredentialEntry, type UsageEntry } from './projections.js';
import type { MutableUsageIndex } from './usageIndex.js';

export interface ListPage {
  limit: number;
  _continue?: string;
  labelSelector?: string;
}

/** One resource the webhook keeps a view of: how to list and watch it, and where its entries go. */
export interface WatchedResource<T extends KubernetesObject> {
  /** Plural resource name, for logs and metrics. */
  name: string;
  /** Cluster-wide watch path, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  labelSelector?: string;
  listPage(page: ListPage): Promise<KubernetesListObject<KubernetesObject>>;
  project(object: KubernetesObject): T;
  upsert(entry: T): void;
  remove(entry: T): void;
}

type Lister = (page: ListPage) => Promise<KubernetesListObject<KubernetesObject>>;

function usageResource(
  name: string,
  path: string,
  kind: WorkloadKind | 'Pod',
  listPage: Lister,
  usage: MutableUsageIndex,
): WatchedResource<UsageEntry> {
  return {
    name,
    path,
    listPage,
    project: (object) => usageEntry(object, kind),
    upsert: (entry) => usage.set({ ...entry.metadata, kind, credentials: entry.credentials }),
    remove: (entry) => usage.remove(entry.metadata.namespace, kind, entry.metadata.name),
  };
}

/**
 * Secrets by label (the API server filters them), Pods and workloads all (annotations cannot be
 * selected on): every object is reduced to its references on arrival, so the cost of watching all
 * of them is the stream, not the memory.
 */
export function watchedResources(
  kubeConfig: KubeConfig,
  credentials: CredentialStore,
  usage: MutableUsageIndex,
): [WatchedResource<CredentialEntry>, ...WatchedResource<UsageEntry>[]] {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const secrets: WatchedResource<CredentialEntry> = {
    name: 'secrets',
    path: '/api/v1/secrets',
    labelSelector: keys.typeLabel,
    listPage: (page) => core.listSecretForAllNamespaces(page),
    project: (object) => credentialEntry(object),
    upsert: (entry) => credentials.set(entry.info),
    remove: (entry) => credentials.delete(entry.metadata.namespace, entry.metadata.name),
  };
  return [
    secrets,
    usageResource('pods', '/api/v1/pods', 'Pod', (p) => core.listPodForAllNamespaces(p), usage),
    usageResource('deployments', '/apis/apps/v1/deployments', 'Deployment', (p) => apps.listDeploymentForAllNamespaces(p), usage),
    usageResource('statefulsets', '/apis/apps/v1/statefulsets', 'StatefulSet', (p) => apps.listStatefulSetForAllNamespaces(p), usage),
    usageResource('daemonsets', '/apis/apps/v1/daemonsets', 'DaemonSet', (p) => apps.listDaemonSetForAllNamespaces(p), usage),
    usageResource('replicasets', '/apis/apps/v1/replicasets', 'ReplicaSet', (p) => apps.listReplicaSetForAllNamespaces(p), usage),
    usageResource('jobs', '/apis/batch/v1/jobs', 'Job', (p) => batch.listJobForAllNamespaces(p), usage),
    usageResource('cronjobs', '/apis/batch/v1/cronjobs', 'CronJob', (p) => batch.listCronJobForAllNamespaces(p), usage),
  ];
}
