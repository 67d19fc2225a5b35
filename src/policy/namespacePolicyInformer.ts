import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kubeApi.js';
import { namespaceLister, namespaceResource, watchPath } from '../kube/kindListers.js';
import { startResilientInformer, type InformerOptions, type RunningInformer } from '../kube/resilientInformer.js';
import type { WatchedResource } from '../kube/watchedResource.js';
import { namespacePolicy, type NamespacePolicies, type NamespacePolicy } from './namespacePolicy.js';

/** A Namespace as the informer keeps it: its name and parsed policy, no other annotation or label. */
export interface NamespaceEntry extends KubernetesObject {
  metadata: { name: string; resourceVersion?: string };
  policy?: NamespacePolicy;
}

export interface NamespacePolicyStore extends NamespacePolicies {
  set(namespace: string, policy: NamespacePolicy | undefined): void;
  /** Namespaces with a policy. */
  size(): number;
}

export function createNamespacePolicyStore(): NamespacePolicyStore {
  const policies = new Map<string, NamespacePolicy>();
  return {
    policyOf: (namespace) => policies.get(namespace),
    set(namespace, policy) {
      if (policy) policies.set(namespace, policy);
      else policies.delete(namespace);
    },
    size: () => policies.size,
  };
}

export function namespaceEntry(object: KubernetesObject): NamespaceEntry {
  const metadata: NamespaceEntry['metadata'] = { name: object.metadata?.name ?? '' };
  if (object.metadata?.resourceVersion) metadata.resourceVersion = object.metadata.resourceVersion;
  const policy = namespacePolicy(object.metadata?.annotations);
  return policy ? { metadata, policy } : { metadata };
}

/** Namespaces, cluster-wide, reduced to their policy on arrival (labels are the API server's business: namespaceSelectors). */
export function namespaceResourceFor(lister: WatchedResource<NamespaceEntry>['listPage'], store: NamespacePolicyStore): WatchedResource<NamespaceEntry> {
  return {
    name: namespaceResource.plural,
    path: watchPath(namespaceResource),
    listPage: lister,
    project: namespaceEntry,
    upsert: (entry) => store.set(entry.metadata.name, entry.policy),
    remove: (entry) => store.set(entry.metadata.name, undefined),
  };
}

export interface RunningNamespacePolicies {
  policies: NamespacePolicyStore;
  informer: RunningInformer;
}

/** The Namespace informer feeding the policy store; readiness waits for its first list like the others'. */
export function startNamespacePolicies(api: KubeApi, options: InformerOptions): RunningNamespacePolicies {
  const policies = createNamespacePolicyStore();
  const informer = startResilientInformer(api, namespaceResourceFor(namespaceLister(api), policies), options);
  return { policies, informer };
}
