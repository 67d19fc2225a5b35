import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeApi } from './kubeApi.js';
import { userKinds, type KindInfo, type UserKind } from '../contract/workloadKinds.js';

export interface ListPage {
  limit: number;
  _continue?: string;
  labelSelector?: string;
}

/** One page of a list, cluster-wide or in one namespace; aborted with `signal`. */
export type Lister = (page: ListPage, signal?: AbortSignal) => Promise<KubernetesListObject<KubernetesObject>>;

/** Where a resource lives: its group/version and plural name. */
export type Resource = Pick<KindInfo, 'plural'> & { apiVersion: string };

/** The Secret resource, which is not a user kind but is listed and watched the same way. */
export const secretResource = { apiVersion: 'v1', plural: 'secrets' } as const;
export const serviceAccountResource = { apiVersion: 'v1', plural: 'serviceaccounts' } as const;
export const namespaceResource = { apiVersion: 'v1', plural: 'namespaces' } as const;

/**
 * The REST path of a resource: its collection (cluster-wide, or in `namespace`), or one object of
 * it by `name`. Names are path-escaped; the API server's names never need it, user input may.
 */
export function resourcePath(resource: Resource, namespace?: string, name?: string): string {
  const root = resource.apiVersion === 'v1' ? '/api/v1' : `/apis/${resource.apiVersion}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${root}${scope}/${resource.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** The cluster-wide watch path of a kind, e.g. `/apis/apps/v1/deployments`. */
export function watchPath(resource: Resource): string {
  return resourcePath(resource);
}

/**
 * Pages of one resource's list, cluster-wide or in one namespace. The API's `metadata.continue` is
 * handed on as `_continue`, the name of the list type every caller reads (client-node's V1ListMeta).
 */
export function resourceLister(api: KubeApi, resource: Resource, namespace?: string): Lister {
  const path = resourcePath(resource, namespace);
  return async (page, signal) => {
    const list = await api.call<KubernetesListObject<KubernetesObject> & { metadata?: { continue?: string } }>({
      method: 'GET',
      path,
      query: { limit: page.limit, continue: page._continue, labelSelector: page.labelSelector },
      ...(signal ? { signal } : {}),
    });
    const token = list.metadata?.continue;
    if (token) list.metadata!._continue = token;
    return list;
  };
}

type ListedKind = UserKind | 'Secret' | 'ServiceAccount';

const listedResources: Readonly<Record<ListedKind, Resource>> = {
  ...(Object.fromEntries(userKinds.map((info) => [info.kind, info])) as unknown as Record<UserKind, Resource>),
  Secret: secretResource,
  ServiceAccount: serviceAccountResource,
};

/** Listers by kind for one API server. */
export function kindListers(api: KubeApi): (kind: ListedKind, namespace?: string) => Lister {
  return (kind, namespace) => resourceLister(api, listedResources[kind], namespace);
}

/** Pages of the cluster's Namespaces (cluster-scoped, so not one of the kinds above). */
export function namespaceLister(api: KubeApi): Lister {
  return resourceLister(api, namespaceResource);
}
