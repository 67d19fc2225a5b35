import type { UserKind } from '../contract/workloadKinds.js';
import { versionDigest } from '../credentials/keyDigests.js';
import { consumedVersion, type Consumption, type ConsumptionMap } from '../engine/consumption.js';

/**
 * Where one user stands against a credential's current data:
 * - `current`: it runs the current version of every key it consumes;
 * - `stale`: it runs an older version of a key it takes as env (only a restart brings the new one);
 * - `refreshing`: it takes the credential as files, rendered output or a pull secret, which pick the
 *   new data up without a restart (kubelet, the agent, the next image pull);
 * - `unknown`: it cannot be told (no `credinject.dev/versions` on the pod, or no digest key).
 */
export type VersionState = 'current' | 'stale' | 'refreshing' | 'unknown';

/** Why a user is `unknown`. */
export type UnknownReason = 'no-digest-key' | 'no-versions';

/** A Pod or workload reduced to what staleness reads (view/versionedUsers.ts makes them). */
export interface VersionedUser {
  kind: UserKind;
  namespace: string;
  name: string;
  /** Its controlling owner: the ReplicaSet of a pod, the Deployment of a ReplicaSet, the CronJob of a Job. */
  owner?: { kind: string; name: string };
  /** A pod's `credinject.dev/versions`, parsed: what it was injected with. Empty for workloads. */
  versions: Readonly<Record<string, string>>;
  /** A workload template's `credinject.dev/restarted-for`, parsed. Empty for pods. */
  restartedFor: Readonly<Record<string, string>>;
  /** How it (its pods, for a workload) consumes each Secret (engine/consumption). */
  consumption: ConsumptionMap;
}

/** A user's standing. Key names only: never a value or a digest. */
export interface UserStaleness {
  kind: UserKind;
  name: string;
  state: VersionState;
  /**
   * For `stale`: the env keys whose version is older. `exact` when they are the changed keys; a pod
   * records one version over all the env keys it takes, so with several only "some of these" is known.
   */
  changedKeys?: string[];
  exact?: boolean;
  /** For `unknown`. */
  reason?: UnknownReason;
  /** For a workload: how many of its pods are stale. */
  stalePods?: number;
  /** For a workload: its template's `restarted-for` names an older version (a restart is pending or held). */
  restartPending?: boolean;
}

export interface CredentialStaleness {
  /** Stale users (pods and workloads, as IN-USE counts them); null when none is stale but some cannot be told. */
  stale: number | null;
  users: UserStaleness[];
}

/** The credential as staleness sees it: its per-key keyed digests, absent when the digest key could not be read. */
export interface VersionedCredential {
  namespace: string;
  name: string;
  digests?: Readonly<Record<string, string>>;
}

const severity: Record<VersionState, number> = { current: 0, refreshing: 1, unknown: 2, stale: 3 };
const sorted = (keys: Iterable<string>): string[] => [...new Set(keys)].sort();

function podStaleness(pod: VersionedUser, use: Consumption, credential: VersionedCredential): UserStaleness {
  const base = { kind: pod.kind, name: pod.name };
  if (!credential.digests) return { ...base, state: 'unknown', reason: 'no-digest-key' };
  const recorded = pod.versions[credential.name];
  const current = consumedVersion(use, credential.digests);
  if (use.env.length > 0) {
    if (recorded === undefined) return { ...base, state: 'unknown', reason: 'no-versions' };
    if (recorded === current) return { ...base, state: 'current' };
    return { ...base, state: 'stale', changedKeys: [...use.env], exact: use.env.length === 1 };
  }
  // Files, rendered output and pull secrets are picked up without a restart: never stale.
  if (recorded === undefined) return { ...base, state: 'unknown', reason: 'no-versions' };
  return { ...base, state: recorded === current ? 'current' : 'refreshing' };
}

const userId = (kind: string, name: string): string => `${kind}/${name}`;

/**
 * A workload's standing: the worst of its pods' (found through owner references, a Deployment's
 * through its ReplicaSets, a CronJob's through its Jobs), and stale also when its template's
 * `restarted-for` names an older version of the env keys it takes. With no pods it is current:
 * new pods are injected with the current data.
 */
function workloadStaleness(workload: VersionedUser, use: Consumption | undefined, pods: readonly UserStaleness[], credential: VersionedCredential): UserStaleness {
  const base = { kind: workload.kind, name: workload.name };
  if (!credential.digests) return { ...base, state: 'unknown', reason: 'no-digest-key' };
  const stalePods = pods.filter((pod) => pod.state === 'stale');
  const envKeys = sorted([...(use?.env ?? []), ...stalePods.flatMap((pod) => pod.changedKeys ?? [])]);
  const recordedRestart = workload.restartedFor[credential.name];
  const restartPending = recordedRestart !== undefined && envKeys.length > 0 && recordedRestart !== versionDigest(credential.digests, envKeys);
  if (stalePods.length > 0 || restartPending) {
    const changed = stalePods.length > 0 ? sorted(stalePods.flatMap((pod) => pod.changedKeys ?? [])) : envKeys;
    const exact = stalePods.length > 0 ? stalePods.every((pod) => pod.exact) : envKeys.length === 1;
    return { ...base, state: 'stale', changedKeys: changed, exact, stalePods: stalePods.length, ...(restartPending ? { restartPending } : {}) };
  }
  const worst = pods.reduce<UserStaleness | undefined>((a, b) => (!a || severity[b.state] > severity[a.state] ? b : a), undefined);
  if (!worst || worst.state === 'current') return { ...base, state: 'current' };
  return worst.reason ? { ...base, state: worst.state, reason: worst.reason } : { ...base, state: worst.state };
}

/**
 * Where every user of one credential stands: pods by their recorded `credinject.dev/versions` against
 * the credential's current keyed digests over the keys they consume (the same `consumedVersion` the
 * webhook records and the rotation controller compares), workloads by their pods and their template's
 * `restarted-for`. `users` are the Pods and workloads of the credential's namespace; those that do
 * not consume it are left out. Sorted like describe's users: workloads first, then by kind and name.
 */
export function credentialStaleness(credential: VersionedCredential, users: readonly VersionedUser[]): CredentialStaleness {
  const inNamespace = users.filter((user) => user.namespace === credential.namespace);
  const childrenOf = new Map<string, VersionedUser[]>();
  for (const user of inNamespace) {
    if (!user.owner) continue;
    const key = userId(user.owner.kind, user.owner.name);
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), user]);
  }
  const podStates = new Map<string, UserStaleness>();
  for (const user of inNamespace) {
    const use = user.consumption[credential.name];
    if (user.kind === 'Pod' && use) podStates.set(user.name, podStaleness(user, use, credential));
  }
  // The pods under a workload, however deep (Deployment → ReplicaSet → Pod, CronJob → Job → Pod).
  const podsUnder = (kind: string, name: string, depth = 0): UserStaleness[] =>
    depth > 2
      ? []
      : (childrenOf.get(userId(kind, name)) ?? []).flatMap((child) =>
          child.kind === 'Pod' ? (podStates.has(child.name) ? [podStates.get(child.name)!] : []) : podsUnder(child.kind, child.name, depth + 1),
        );

  const result: UserStaleness[] = [];
  for (const user of inNamespace) {
    const use = user.consumption[credential.name];
    if (user.kind === 'Pod') {
      if (use) result.push(podStates.get(user.name)!);
      continue;
    }
    if (!use) continue;
    result.push(workloadStaleness(user, use, podsUnder(user.kind, user.name), credential));
  }
  result.sort((a, b) => Number(a.kind === 'Pod') - Number(b.kind === 'Pod') || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  const stale = result.filter((user) => user.state === 'stale').length;
  return { stale: stale === 0 && result.some((user) => user.state === 'unknown') ? null : stale, users: result };
}

/** `stale: secret_access_key changed` in words, for describe and the page; key names only. */
export function stalenessText(user: UserStaleness): string {
  switch (user.state) {
    case 'stale': {
      const keys = (user.changedKeys ?? []).join(', ');
      const what = user.exact ? `${keys} changed` : `one or more of ${keys} changed`;
      const pods = user.stalePods !== undefined && user.stalePods > 0 ? `, ${user.stalePods} pod${user.stalePods === 1 ? '' : 's'} on the old version` : '';
      return `stale: ${what}${pods}${user.restartPending ? ', restart pending' : ''}`;
    }
    case 'refreshing':
      return 'refreshing in place (files, rendered or pull secret: no restart needed)';
    case 'unknown':
      return user.reason === 'no-digest-key' ? 'unknown: the digest key could not be read' : 'unknown: no credinject.dev/versions recorded';
    default:
      return 'current';
  }
}
