import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kubeApi.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { keys } from '../contract/keys.js';
import { type UserKind, userKinds } from '../contract/workloadKinds.js';
import { objectUsage } from '../engine/objectUsage.js';
import { kindListers, type Lister } from '../kube/kindListers.js';
import { credentialEntry } from './projections.js';
import { createUsageIndex, type MutableUsageIndex } from './usageIndex.js';
import { versionedSource, type VersionedSource } from './versionedUsers.js';

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
  /** Every Pod and workload, reduced to what staleness reads (view/versionedUsers.ts). */
  versioned: VersionedSource[];
}

/**
 * One-shot snapshot for `credinject list`: credential Secrets (by label) and the Pods and workloads
 * that reference them, in one namespace or all (`namespace` undefined). Values are dropped on arrival.
 * `labelSelector` narrows the Secrets; it must keep the type label (`credinject list -l`, `--type`).
 * With the shared digest key, each credential keeps its per-key keyed digests, for staleness.
 */
export async function listCredentials(api: KubeApi, namespace: string | undefined, labelSelector: string = keys.typeLabel, digestKey?: Buffer): Promise<CredentialListing> {
  const lister = kindListers(api);
  const [secretItems, ...userItems] = await Promise.all([
    listAll(lister('Secret', namespace), labelSelector),
    ...userKinds.map((info) => listAll(lister(info.kind, namespace))),
  ]);
  const usage = createUsageIndex();
  const versioned: VersionedSource[] = [];
  userKinds.forEach(({ kind }, index) => {
    for (const object of userItems[index] ?? []) {
      const metadata = object.metadata ?? {};
      usage.set({ namespace: metadata.namespace ?? '', kind, name: metadata.name ?? '', ...objectUsage(object, kind) });
      versioned.push(versionedSource(object, kind));
    }
  });
  const credentials = secretItems.map((secret) => credentialEntry(secret as V1Secret, digestKey).info);
  return { credentials, usage, versioned };
}

/** Every Pod and workload of a namespace, whole, for `credinject describe` (read once, not kept). */
export async function listUserObjects(api: KubeApi, namespace: string): Promise<{ kind: UserKind; object: KubernetesObject }[]> {
  const lister = kindListers(api);
  const lists = await Promise.all(userKinds.map((info) => listAll(lister(info.kind, namespace))));
  return userKinds.flatMap(({ kind }, index) => (lists[index] ?? []).map((object) => ({ kind, object })));
}
