import type { KubeConfig } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import { userKinds, type UserKind } from '../contract/workloadKinds.js';
import { kindListers, type Lister, secretResource, watchPath } from '../kube/kindListers.js';
import type { WatchedResource } from '../kube/watchedResource.js';
import type { CredentialStore } from './credentialStore.js';
import { credentialEntry, usageEntry, type CredentialEntry, type UsageEntry } from './projections.js';
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
 * Secrets by label (the API server filters them), Pods and workloads all (annotations cannot be
 * selected on): every object is reduced to its references on arrival, so the cost of watching all
 * of them is the stream, not the memory.
 */
export function watchedResources(
  kubeConfig: KubeConfig,
  credentials: CredentialStore,
  usage: MutableUsageIndex,
): [WatchedResource<CredentialEntry>, ...WatchedResource<UsageEntry>[]] {
  const lister = kindListers(kubeConfig);
  const secrets: WatchedResource<CredentialEntry> = {
    name: secretResource.plural,
    path: watchPath(secretResource),
    labelSelector: keys.typeLabel,
    listPage: lister('Secret'),
    project: (object) => credentialEntry(object),
    upsert: (entry) => credentials.set(entry.info),
    remove: (entry) => credentials.delete(entry.metadata.namespace, entry.metadata.name),
  };
  // Pods first, then workloads: the order informers start in (and report sync) stays as it was.
  const kinds = [...userKinds.filter((info) => info.kind === 'Pod'), ...userKinds.filter((info) => info.kind !== 'Pod')];
  return [secrets, ...kinds.map((info) => usageResource(info.kind, info.plural, watchPath(info), lister(info.kind), usage))];
}
