import { versionDigest } from '../credentials/keyDigests.js';
import { consumedVersion, formatVersions, type ConsumptionMap } from '../engine/consumption.js';
import type { UserKind } from '../contract/workloadKinds.js';

/** What happens to a workload whose pods run an old version of a key they take as env. */
export type RotationAction = 'restart' | 'none';

/**
 * The only kinds ever restarted. Jobs never (a training run must not start over); CronJobs inject at
 * their next run anyway; a ReplicaSet belongs to its Deployment; bare Pods are reported, never deleted.
 */
export const restartableKinds: readonly UserKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** A credential as the planner sees it: identity, keyed digests and rule names, never a value. */
export interface RotationCredential {
  namespace: string;
  name: string;
  /** Per-key keyed digests; a credential without them (no digest key yet) is left alone. */
  digests?: Readonly<Record<string, string>>;
  /** Rules its data breaks now (rule names only): restarts for it are held. */
  problems: readonly string[];
  /** Unchanged for the quiet period (quietPeriod.ts); only settled credentials are acted on. */
  settled: boolean;
  /** Keys changed since the controller last acted on it; empty when it does not know (a new leader). */
  changedKeys: readonly string[];
}

export interface RotationWorkload {
  kind: UserKind;
  namespace: string;
  name: string;
  uid?: string;
  /** `credinject.dev/on-rotation` as written on the workload or its template; undefined when absent. */
  onRotation?: string;
  /** The template's `credinject.dev/restarted-for`, parsed. */
  restartedFor: Readonly<Record<string, string>>;
  /** How its pod template consumes each Secret (engine/consumption.templateConsumption). */
  consumption: ConsumptionMap;
}

export interface RotationPod {
  namespace: string;
  name: string;
  /** Its controlling owner reference. */
  owner?: { kind: string; name: string };
  /** Its `credinject.dev/versions`, parsed: what it was injected with. */
  versions: Readonly<Record<string, string>>;
  consumption: ConsumptionMap;
}

/** A ReplicaSet, for the Deployment that controls it. */
export interface RotationReplicaSet {
  namespace: string;
  name: string;
  deployment?: string;
}

export interface RotationInput {
  credentials: readonly RotationCredential[];
  workloads: readonly RotationWorkload[];
  pods: readonly RotationPod[];
  replicaSets: readonly RotationReplicaSet[];
  /** For workloads without `credinject.dev/on-rotation` (the chart's rotation.defaultAction). */
  defaultAction: RotationAction;
}

export interface RestartReason {
  credential: string;
  /** The version over the keys the workload takes as env: what `restarted-for` records. */
  digest: string;
  /** The changed keys it takes as env when known (`keysChanged`), else every key it takes as env. */
  keys: string[];
  keysChanged: boolean;
}

export interface Restart {
  kind: UserKind;
  namespace: string;
  name: string;
  uid?: string;
  /** The new value of the template's `credinject.dev/restarted-for`: other credentials' entries kept. */
  restartedFor: string;
  reasons: RestartReason[];
}

/** A rotation not rolled out because the new data breaks its type's rules. */
export interface HeldRotation {
  namespace: string;
  credential: string;
  /** Rule names only. */
  rules: string[];
  /** Version over all its keys: one held data state, so it is reported once. */
  digest: string;
  /** `Kind/name` of the workloads that would have restarted. */
  workloads: string[];
}

export interface StaleCount {
  namespace: string;
  credential: string;
  pods: number;
}

export interface RotationPlan {
  restarts: Restart[];
  held: HeldRotation[];
  /** Pods running an older version of a key they take as env, by namespace and credential (bare Pods and Jobs' too). */
  stale: StaleCount[];
}

const id = (namespace: string, name: string): string => `${namespace}/${name}`;
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The workload a pod belongs to, as `Kind/namespace/name`, when it is one that can be restarted. */
function workloadOf(pod: RotationPod, deploymentOf: ReadonlyMap<string, string>): string | undefined {
  const owner = pod.owner;
  if (!owner) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const deployment = deploymentOf.get(id(pod.namespace, owner.name));
    return deployment === undefined ? undefined : `Deployment/${id(pod.namespace, deployment)}`;
  }
  return owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' ? `${owner.kind}/${id(pod.namespace, owner.name)}` : undefined;
}

interface PodsOfWorkload {
  /** Credential → env keys its pods take. */
  envKeys: Map<string, Set<string>>;
  /** Credentials at least one pod recorded a version of. */
  recorded: Set<string>;
  /** Credentials at least one pod runs an older version of. */
  stale: Set<string>;
}

/**
 * Which workloads restart for which credential, which rotations are held, and how many pods are
 * stale. Pure and level-triggered: it reads only the cluster's state (pods' recorded versions, the
 * templates' `restarted-for`) and the quiet period, so a new leader plans exactly what the old one
 * had left undone, and a workload whose template already carries the current digest is never
 * patched again. A workload restarts for a credential when it takes one of its keys as env, its
 * pods run an older version of those keys (or, with no pod recording a version, the controller saw
 * those keys change), and the data is valid; with invalid data the restart is held instead.
 */
export function planRotation(input: RotationInput): RotationPlan {
  const credentials = new Map(input.credentials.map((c) => [id(c.namespace, c.name), c]));
  const deploymentOf = new Map(input.replicaSets.flatMap((rs) => (rs.deployment === undefined ? [] : [[id(rs.namespace, rs.name), rs.deployment] as const])));
  const staleCounts = new Map<string, StaleCount>();
  const podsOf = new Map<string, PodsOfWorkload>();

  for (const pod of input.pods) {
    const workload = workloadOf(pod, deploymentOf);
    let group = workload === undefined ? undefined : podsOf.get(workload);
    if (workload !== undefined && !group) podsOf.set(workload, (group = { envKeys: new Map(), recorded: new Set(), stale: new Set() }));
    for (const [name, use] of Object.entries(pod.consumption)) {
      if (use.env.length === 0) continue;
      if (group) {
        const keys = group.envKeys.get(name) ?? new Set<string>();
        use.env.forEach((key) => keys.add(key));
        group.envKeys.set(name, keys);
      }
      const digests = credentials.get(id(pod.namespace, name))?.digests;
      const recorded = pod.versions[name];
      if (!digests || recorded === undefined) continue;
      group?.recorded.add(name);
      if (consumedVersion(use, digests) === recorded) continue;
      group?.stale.add(name);
      const count = staleCounts.get(id(pod.namespace, name)) ?? { namespace: pod.namespace, credential: name, pods: 0 };
      count.pods++;
      staleCounts.set(id(pod.namespace, name), count);
    }
  }

  const restarts: Restart[] = [];
  const held = new Map<string, HeldRotation>();
  for (const workload of input.workloads) {
    if (!restartableKinds.includes(workload.kind)) continue;
    const action = workload.onRotation === 'none' || workload.onRotation === 'restart' ? workload.onRotation : input.defaultAction;
    if (action === 'none') continue;
    const group = podsOf.get(`${workload.kind}/${id(workload.namespace, workload.name)}`);
    const names = new Set([...Object.keys(workload.consumption), ...(group?.envKeys.keys() ?? [])]);
    const reasons: RestartReason[] = [];
    for (const name of [...names].sort(compare)) {
      const credential = credentials.get(id(workload.namespace, name));
      const envKeys = [...new Set([...(workload.consumption[name]?.env ?? []), ...(group?.envKeys.get(name) ?? [])])].sort(compare);
      if (!credential?.digests || !credential.settled || envKeys.length === 0) continue;
      const digest = versionDigest(credential.digests, envKeys);
      if (workload.restartedFor[name] === digest) continue;
      const changed = credential.changedKeys.filter((key) => envKeys.includes(key));
      const needed = group?.recorded.has(name) ? group.stale.has(name) : changed.length > 0;
      if (!needed) continue;
      if (credential.problems.length > 0) {
        const key = id(workload.namespace, name);
        const entry = held.get(key) ?? {
          namespace: workload.namespace,
          credential: name,
          rules: [...new Set(credential.problems)].sort(compare),
          digest: versionDigest(credential.digests, Object.keys(credential.digests)),
          workloads: [],
        };
        entry.workloads.push(`${workload.kind}/${workload.name}`);
        held.set(key, entry);
        continue;
      }
      reasons.push({ credential: name, digest, keys: changed.length > 0 ? changed : envKeys, keysChanged: changed.length > 0 });
    }
    if (reasons.length === 0) continue;
    const restartedFor = formatVersions({ ...workload.restartedFor, ...Object.fromEntries(reasons.map((r) => [r.credential, r.digest])) });
    const restart: Restart = { kind: workload.kind, namespace: workload.namespace, name: workload.name, restartedFor, reasons };
    if (workload.uid) restart.uid = workload.uid;
    restarts.push(restart);
  }

  const byWorkload = (a: Restart, b: Restart) => compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.name, b.name);
  const byCredential = <T extends { namespace: string; credential: string }>(a: T, b: T) => compare(a.namespace, b.namespace) || compare(a.credential, b.credential);
  return {
    restarts: restarts.sort(byWorkload),
    held: [...held.values()].map((h) => ({ ...h, workloads: h.workloads.sort(compare) })).sort(byCredential),
    stale: [...staleCounts.values()].sort(byCredential),
  };
}
