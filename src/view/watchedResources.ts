import type { KubeApi } from '../kube/kubeApi.js';
import { keys } from '../contract/keys.js';
import { userKinds, type UserKind } from '../contract/workloadKinds.js';
import { kindListers, type Lister, secretResource, serviceAccountResource, watchPath } from '../kube/kindListers.js';
import type { WatchedResource } from '../kube/watchedResource.js';
import type { CredentialStore } from './credentialStore.js';
import { requestedCredentialNames } from '../engine/injectionRequest.js';
import {
  credentialEntry,
  serviceAccountEntry,
  usageEntry,
  type CredentialEntry,
  type ServiceAccountEntry,
  type UsageEntry,
} from './projections.js';
import type { ServiceAccountStore } from './serviceAccountStore.js';
import type { MutableUsageIndex } from './usageIndex.js';

export type { WatchedResource } from '../kube/watchedResource.js';

function usageResource(kind: UserKind, plural: string, path: string, listPage: Lister, usage: MutableUsageIndex): WatchedResource<UsageEntry> {
  return {
    name: plural,
    path,
    listPage,
    project: (object) => usageEntry(object, kind),
    upsert: (entry) => usage.set({ ...entry.metadata, kind, credentials: entry.credentials, direct: entry.direct }),
    remove: (entry) => usage.remove(entry.metadata.namespace, kind, entry.metadata.name),
  };
}

/**
 * ServiceAccounts with request annotations give them to the Pods that run as them, and count as a
 * user of those credentials (`ServiceAccount/<name>`): deleting one breaks every such Pod's next start.
 */
function serviceAccountsResource(lister: Lister, serviceAccounts: ServiceAccountStore, usage: MutableUsageIndex): WatchedResource<ServiceAccountEntry> {
  return {
    name: serviceAccountResource.plural,
    path: watchPath(serviceAccountResource),
    listPage: lister,
    project: (object) => serviceAccountEntry(object),
    upsert({ metadata, request }) {
      serviceAccounts.set(metadata.namespace, metadata.name, request);
      usage.set({ ...metadata, kind: 'ServiceAccount', credentials: requestedCredentialNames(request) });
    },
    remove({ metadata }) {
      serviceAccounts.delete(metadata.namespace, metadata.name);
      usage.remove(metadata.namespace, 'ServiceAccount', metadata.name);
    },
  };
}

/** Where the informers' entries go. */
export interface ViewSinks {
  credentials: CredentialStore;
  /** The shared key of the per-key digests; without it credentials carry none. */
  digestKey?: Buffer;
  usage: MutableUsageIndex;
  serviceAccounts: ServiceAccountStore;
}

export interface WatchedResources {
  secrets: WatchedResource<CredentialEntry>;
  /** Pods, then the workload kinds. */
  users: WatchedResource<UsageEntry>[];
  serviceAccounts: WatchedResource<ServiceAccountEntry>;
}

/**
 * Secrets by label (the API server filters them); Pods, workloads and ServiceAccounts all
 * (annotations cannot be selected on): every object is reduced to its references on arrival, so the
 * cost of watching all of them is the stream, not the memory.
 */
export function watchedResources(
  api: KubeApi,
  { credentials, usage, serviceAccounts, digestKey }: ViewSinks,
): WatchedResources {
  const lister = kindListers(api);
  const secrets: WatchedResource<CredentialEntry> = {
    name: secretResource.plural,
    path: watchPath(secretResource),
    labelSelector: keys.typeLabel,
    listPage: lister('Secret'),
    project: (object) => credentialEntry(object, digestKey),
    upsert: (entry) => credentials.set(entry.info),
    remove: (entry) => credentials.delete(entry.metadata.namespace, entry.metadata.name),
  };
  // Pods first, then workloads: the order informers start in (and report sync) stays as it was.
  const kinds = [...userKinds.filter((info) => info.kind === 'Pod'), ...userKinds.filter((info) => info.kind !== 'Pod')];
  return {
    secrets,
    users: kinds.map((info) => usageResource(info.kind, info.plural, watchPath(info), lister(info.kind), usage)),
    serviceAccounts: serviceAccountsResource(lister('ServiceAccount'), serviceAccounts, usage),
  };
}
