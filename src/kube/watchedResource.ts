import type { KubernetesObject } from '@kubernetes/client-node';
import type { Lister } from './kindListers.js';

/**
 * One resource an informer keeps a view of: how to list and watch it, the projection that replaces
 * each object before anything keeps it, and where the projected entries go.
 */
export interface WatchedResource<T extends KubernetesObject> {
  /** Plural resource name, for logs and metrics. */
  name: string;
  /** Cluster-wide watch path, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  labelSelector?: string;
  listPage: Lister;
  project(object: KubernetesObject): T;
  upsert(entry: T): void;
  remove(entry: T): void;
}
