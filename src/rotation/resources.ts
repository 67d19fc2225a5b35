import type { KubernetesObject, V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kubeApi.js';
import { keys } from '../contract/keys.js';
import { kindInfo, type UserKind } from '../contract/workloadKinds.js';
import { consumptionSource, parseVersions, type ConsumptionSource } from '../engine/consumption.js';
import { podTemplateOf } from '../engine/workloadAnnotations.js';
import { kindListers, watchPath } from '../kube/kindListers.js';
import type { WatchedResource } from '../kube/watchedResource.js';
import { restartableKinds } from './plan.js';

/**
 * What the rotation controller watches (on the leader only), each object reduced on arrival to what
 * the planner reads: names, owners, our annotations and the consumption source (request annotations
 * and the keys the spec references). No spec and no env value is kept.
 */
export interface WorkloadState {
  kind: UserKind;
  namespace: string;
  name: string;
  uid?: string;
  onRotation?: string;
  restartedFor: Record<string, string>;
  source: ConsumptionSource;
}

export interface PodState {
  namespace: string;
  name: string;
  owner?: { kind: string; name: string };
  versions: Record<string, string>;
  source: ConsumptionSource;
}

export interface ReplicaSetState {
  namespace: string;
  name: string;
  deployment?: string;
}

interface Entry<T> extends KubernetesObject {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  /** Undefined: nothing the planner needs (a Pod referencing no Secret); dropped. */
  value: T | undefined;
}

const annotationOf = (metadata: V1ObjectMeta | undefined, key: string): string | undefined => {
  const value = metadata?.annotations?.[key];
  return typeof value === 'string' ? value : undefined;
};

const controllerOf = (metadata: V1ObjectMeta | undefined): V1OwnerReference | undefined =>
  (Array.isArray(metadata?.ownerReferences) ? metadata.ownerReferences : []).find((owner) => owner?.controller === true);

function identity(object: KubernetesObject): Entry<never>['metadata'] {
  const metadata = object.metadata ?? {};
  return { name: metadata.name ?? '', namespace: metadata.namespace ?? '', ...(metadata.resourceVersion ? { resourceVersion: metadata.resourceVersion } : {}) };
}

export function workloadState(object: KubernetesObject, kind: UserKind): WorkloadState {
  const metadata = object.metadata;
  const template = podTemplateOf(object, kind)?.metadata;
  const state: WorkloadState = {
    kind,
    namespace: metadata?.namespace ?? '',
    name: metadata?.name ?? '',
    restartedFor: parseVersions(annotationOf(template, keys.restartedFor)),
    source: consumptionSource(object, kind),
  };
  const onRotation = annotationOf(metadata, keys.onRotation) ?? annotationOf(template, keys.onRotation);
  if (onRotation !== undefined) state.onRotation = onRotation.trim();
  if (metadata?.uid) state.uid = metadata.uid;
  return state;
}

export function podState(object: KubernetesObject): PodState | undefined {
  const source = consumptionSource(object, 'Pod');
  if (source.references.length === 0) return undefined;
  const metadata = object.metadata;
  const state: PodState = { namespace: metadata?.namespace ?? '', name: metadata?.name ?? '', versions: parseVersions(annotationOf(metadata, keys.versions)), source };
  const owner = controllerOf(metadata);
  if (owner?.kind && owner.name) state.owner = { kind: owner.kind, name: owner.name };
  return state;
}

export function replicaSetState(object: KubernetesObject): ReplicaSetState | undefined {
  const owner = controllerOf(object.metadata);
  if (owner?.kind !== 'Deployment' || !owner.name) return undefined;
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '', deployment: owner.name };
}

/** Entries by `namespace/name`, with a hook for every change; `set` lets the controller record its own patch at once. */
export interface StateMap<T> {
  values(): T[];
  set(namespace: string, name: string, value: T): void;
  get(namespace: string, name: string): T | undefined;
  resource: WatchedResource<Entry<T>>;
}

function stateMap<T>(
  resource: Omit<WatchedResource<Entry<T>>, 'upsert' | 'remove' | 'project'>,
  project: (object: KubernetesObject) => T | undefined,
  onChange: () => void,
): StateMap<T> {
  const entries = new Map<string, T>();
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  return {
    values: () => [...entries.values()],
    get: (namespace, name) => entries.get(key(namespace, name)),
    set: (namespace, name, value) => entries.set(key(namespace, name), value),
    resource: {
      ...resource,
      project: (object) => ({ metadata: identity(object), value: project(object) }),
      upsert({ metadata, value }) {
        if (value === undefined) entries.delete(key(metadata.namespace, metadata.name));
        else entries.set(key(metadata.namespace, metadata.name), value);
        onChange();
      },
      remove({ metadata }) {
        entries.delete(key(metadata.namespace, metadata.name));
        onChange();
      },
    },
  };
}

export interface RotationInputs {
  /** Deployments, StatefulSets and DaemonSets, keyed `Kind/namespace/name` inside each map. */
  workloads: Map<UserKind, StateMap<WorkloadState>>;
  replicaSets: StateMap<ReplicaSetState>;
  pods: StateMap<PodState>;
  resources(): WatchedResource<KubernetesObject>[];
}

/** The informers' resources: the three restartable kinds, ReplicaSets (for their Deployment) and Pods. */
export function rotationInputs(api: KubeApi, onChange: () => void): RotationInputs {
  const lister = kindListers(api);
  const resourceOf = (kind: UserKind) => ({ name: `rotation-${kindInfo(kind).plural}`, path: watchPath(kindInfo(kind)), listPage: lister(kind) });
  const workloads = new Map(restartableKinds.map((kind) => [kind, stateMap(resourceOf(kind), (object) => workloadState(object, kind), onChange)] as const));
  const replicaSets = stateMap(resourceOf('ReplicaSet'), replicaSetState, onChange);
  const pods = stateMap(resourceOf('Pod'), podState, onChange);
  return {
    workloads,
    replicaSets,
    pods,
    resources: () => [...[...workloads.values()].map((map) => map.resource), replicaSets.resource, pods.resource] as unknown as WatchedResource<KubernetesObject>[],
  };
}
