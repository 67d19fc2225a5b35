/**
 * The one table of the kinds credinject reads credential requests from: Pods and the six workload
 * kinds with a pod template (docs/reference.md, "Workload kinds"). Every other list of kinds (the
 * informers, the listers, the engine's template lookup, the order users are named in) derives from it.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob';
/** A kind whose objects can use credentials: a workload, or a Pod. */
export type UserKind = WorkloadKind | 'Pod';

export interface KindInfo {
  kind: UserKind;
  /** API group: `''` for the core group. */
  group: '' | 'apps' | 'batch';
  /** The only version the webhooks are registered for (the API server converts others to it). */
  apiVersion: 'v1' | 'apps/v1' | 'batch/v1';
  /** Resource name in URLs and RBAC, e.g. `deployments`. */
  plural: string;
  /** Path from the object's root to its pod template; empty for a Pod, which is its own template. */
  templatePath: readonly string[];
  /** Order in which users are named in a denial: workloads first, since `Deployment/web` says what to edit. */
  rank: number;
}

const spec = ['spec', 'template'] as const;

const table: Readonly<Record<UserKind, KindInfo>> = {
  Deployment: { kind: 'Deployment', group: 'apps', apiVersion: 'apps/v1', plural: 'deployments', templatePath: spec, rank: 0 },
  StatefulSet: { kind: 'StatefulSet', group: 'apps', apiVersion: 'apps/v1', plural: 'statefulsets', templatePath: spec, rank: 1 },
  DaemonSet: { kind: 'DaemonSet', group: 'apps', apiVersion: 'apps/v1', plural: 'daemonsets', templatePath: spec, rank: 2 },
  CronJob: {
    kind: 'CronJob',
    group: 'batch',
    apiVersion: 'batch/v1',
    plural: 'cronjobs',
    templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
    rank: 3,
  },
  Job: { kind: 'Job', group: 'batch', apiVersion: 'batch/v1', plural: 'jobs', templatePath: spec, rank: 4 },
  ReplicaSet: { kind: 'ReplicaSet', group: 'apps', apiVersion: 'apps/v1', plural: 'replicasets', templatePath: spec, rank: 5 },
  Pod: { kind: 'Pod', group: '', apiVersion: 'v1', plural: 'pods', templatePath: [], rank: 6 },
};

/** Pods and workloads, in rank order. */
export const userKinds: readonly KindInfo[] = Object.values(table).sort((a, b) => a.rank - b.rank);
/** The six workload kinds, in rank order. */
export const workloadKinds: readonly WorkloadKind[] = userKinds.flatMap((info) => (info.kind === 'Pod' ? [] : [info.kind]));

/** The table entry of a kind. */
export function kindInfo(kind: UserKind): KindInfo {
  return table[kind];
}

type GroupKind = { group: string; kind: string };

function entryOf(kind: string): KindInfo | undefined {
  return Object.hasOwn(table, kind) ? table[kind as UserKind] : undefined;
}

/** Group and kind both count: a `Deployment` of some CRD group is not a workload we understand. */
export function userKindOf(gvk: GroupKind): KindInfo | undefined {
  const info = entryOf(gvk.kind);
  return info?.group === gvk.group ? info : undefined;
}

/**
 * The kind of a manifest object by its own `apiVersion` and `kind`, exactly as the webhooks are
 * registered: `example.com/v1` `Deployment` is somebody's CRD and is left alone, like `apps/v1beta1`.
 */
export function userKindOfObject(object: unknown): KindInfo | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  if (typeof kind !== 'string') return undefined;
  const info = entryOf(kind);
  return info?.apiVersion === apiVersion ? info : undefined;
}

export function isWorkload(gvk: GroupKind): boolean {
  return userKindOf(gvk) !== undefined && gvk.kind !== 'Pod';
}

export function isPod(gvk: GroupKind): boolean {
  return gvk.group === '' && gvk.kind === 'Pod';
}

export function isSecret(gvk: GroupKind): boolean {
  return gvk.group === '' && gvk.kind === 'Secret';
}

/**
 * The rank of a user named `Kind/name`: a ServiceAccount that gives credentials to its Pods comes
 * after the workloads and before the Pods (it is what to edit); unknown kinds come last.
 */
export function userRank(user: string): number {
  const kind = user.slice(0, user.indexOf('/'));
  if (kind === 'ServiceAccount') return table.Pod.rank - 0.5;
  return entryOf(kind)?.rank ?? userKinds.length;
}
