import { parseLabelSelector, selectorMatches } from '../credentials/labelSelector.js';
import { keys } from '../contract/keys.js';
import { isMirrorOf, mirrorMetadata, ownedKeys } from './mirrorSecret.js';

/**
 * A cluster credential (a Secret labelled `credinject.dev/scope: cluster` in the injector's
 * namespace) as the planner sees it: metadata and a hash of its data, never the values.
 */
export interface MirrorSource {
  name: string;
  /** The injector's namespace. */
  namespace: string;
  secretType: string;
  labels: Record<string, string>;
  /** Its `credinject.dev/` annotations (the selector among them). */
  annotations: Record<string, string>;
  dataHash: string;
  /** Rules the credential breaks (validateCredential); a broken source is not mirrored. */
  problems: string[];
  /** Being deleted (deletionTimestamp set): its mirrors go. */
  terminating: boolean;
}

export interface NamespaceState {
  name: string;
  labels: Record<string, string>;
  /** Being deleted: the namespace controller removes what is in it; we write nothing there. */
  terminating: boolean;
}

/** A Secret labelled `credinject.dev/mirror: "true"`, reduced to metadata and the keyed hash of its data. */
export interface ExistingMirror {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  secretType: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /**
   * Keyed hash of the data it holds now (computed on arrival, not read from its annotation), so an
   * edit by hand is noticed too, and so is an annotation that no longer describes the data.
   */
  dataHash: string;
}

export interface MirrorPlanInput {
  injectorNamespace: string;
  sources: MirrorSource[];
  namespaces: NamespaceState[];
  mirrors: ExistingMirror[];
  /** A Secret of that name exists there and is not a mirror (a namespaced credential, say). */
  isForeign(namespace: string, name: string): boolean;
}

export type DeleteReason = 'not-selected' | 'source-gone' | 'type-changed';

export type MirrorAction =
  | { operation: 'create'; namespace: string; name: string }
  | { operation: 'update'; namespace: string; name: string }
  /** Data and owned metadata are right, only `credinject.dev/mirror-hash` is not: set it, nothing else. */
  | { operation: 'rehash'; namespace: string; name: string; resourceVersion: string; hash: string }
  | { operation: 'delete'; namespace: string; name: string; uid: string; resourceVersion: string; reason: DeleteReason };

export interface MirrorConflict {
  namespace: string;
  name: string;
  /** `foreign-secret`: a Secret that is not a mirror; `other-mirror`: a mirror of something else. */
  reason: 'foreign-secret' | 'other-mirror';
}

export interface SkippedSource {
  name: string;
  /** Rule names only, never values. */
  problems: string[];
}

export interface MirrorPlan {
  actions: MirrorAction[];
  conflicts: MirrorConflict[];
  /** Sources not mirrored because they are invalid; their existing mirrors are left as they are. */
  skipped: SkippedSource[];
}

/**
 * Namespaces never written to: our own (the sources live there; webhooks exclude it) and kube-system
 * (a fail-closed webhook must never guard it). Nothing there is created, changed or deleted.
 */
export function neverMirroredInto(namespace: string, injectorNamespace: string): boolean {
  return namespace === injectorNamespace || namespace === 'kube-system';
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: { name: string }, b: { name: string }): number => compare(a.name, b.name);
const key = (namespace: string, name: string): string => `${namespace}/${name}`;

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * How far a mirror is from its source: `in-sync`; `hash-only` when its data and owned metadata are
 * what the source makes except the `credinject.dev/mirror-hash` annotation (a mirror written
 * before the hash was keyed carries the unkeyed `sha256:` one, and a replaced digest key changes
 * every hash), which then is corrected alone, never by rewriting the data; `outdated` otherwise.
 */
function syncState(mirror: ExistingMirror, source: MirrorSource): 'in-sync' | 'hash-only' | 'outdated' {
  const desired = mirrorMetadata(source, source.dataHash);
  if (mirror.dataHash !== source.dataHash || !sameMap(ownedKeys(mirror.labels), desired.labels)) return 'outdated';
  const annotations = ownedKeys(mirror.annotations);
  if (sameMap(annotations, desired.annotations)) return 'in-sync';
  const withDesiredHash = { ...annotations, [keys.mirrorHash]: source.dataHash };
  return sameMap(withDesiredHash, desired.annotations) ? 'hash-only' : 'outdated';
}

/**
 * What to write so that every namespace selected by a cluster credential holds its mirror, and no
 * other namespace does. Only Secrets that are mirrors of the source (mirror label and
 * `mirrored-from` naming it) are ever updated or deleted; anything else of the same name wins and is
 * reported as a conflict. Deterministic: sources, then namespaces, by name.
 */
export function planMirrors(input: MirrorPlanInput): MirrorPlan {
  const { injectorNamespace } = input;
  const plan: MirrorPlan = { actions: [], conflicts: [], skipped: [] };
  const namespaces = [...input.namespaces].sort(byName);
  const namespaceByName = new Map(namespaces.map((ns) => [ns.name, ns]));
  const mirrors = new Map(input.mirrors.map((mirror) => [key(mirror.namespace, mirror.name), mirror]));
  const isOurs = (mirror: ExistingMirror): boolean => isMirrorOf(mirror, injectorNamespace);
  const wanted = new Set<string>();
  const untouchable = new Set<string>();

  for (const source of [...input.sources].sort(byName)) {
    if (source.terminating) continue;
    const selector = parseLabelSelector(source.annotations[keys.namespaceSelector] ?? '');
    if (source.problems.length > 0 || 'error' in selector) {
      plan.skipped.push({ name: source.name, problems: source.problems.length > 0 ? source.problems : ['bad-namespace-selector'] });
      untouchable.add(source.name);
      continue;
    }
    for (const namespace of namespaces) {
      if (neverMirroredInto(namespace.name, injectorNamespace) || namespace.terminating) continue;
      if (!selectorMatches(selector.selector, namespace.labels)) continue;
      const target = key(namespace.name, source.name);
      const mirror = mirrors.get(target);
      if (mirror && !isOurs(mirror)) {
        plan.conflicts.push({ namespace: namespace.name, name: source.name, reason: 'other-mirror' });
        continue;
      }
      if (!mirror && input.isForeign(namespace.name, source.name)) {
        plan.conflicts.push({ namespace: namespace.name, name: source.name, reason: 'foreign-secret' });
        continue;
      }
      if (mirror && mirror.secretType !== source.secretType) continue; // a Secret's type is immutable: deleted below
      wanted.add(target);
      if (!mirror) plan.actions.push({ operation: 'create', namespace: namespace.name, name: source.name });
      else {
        const state = syncState(mirror, source);
        if (state === 'outdated') plan.actions.push({ operation: 'update', namespace: namespace.name, name: source.name });
        else if (state === 'hash-only') {
          plan.actions.push({ operation: 'rehash', namespace: namespace.name, name: source.name, resourceVersion: mirror.resourceVersion, hash: source.dataHash });
        }
      }
    }
  }

  const liveSources = new Map(input.sources.filter((s) => !s.terminating).map((s) => [s.name, s]));
  const mirrorKeys = [...mirrors.keys()].sort(compare);
  for (const target of mirrorKeys) {
    const mirror = mirrors.get(target)!;
    if (!isOurs(mirror) || wanted.has(target) || untouchable.has(mirror.name)) continue;
    if (neverMirroredInto(mirror.namespace, injectorNamespace)) continue;
    const namespace = namespaceByName.get(mirror.namespace);
    if (!namespace || namespace.terminating) continue; // unknown yet, or going away with its namespace
    const source = liveSources.get(mirror.name);
    const reason: DeleteReason = !source ? 'source-gone' : source.secretType !== mirror.secretType ? 'type-changed' : 'not-selected';
    plan.actions.push({ operation: 'delete', namespace: mirror.namespace, name: mirror.name, uid: mirror.uid, resourceVersion: mirror.resourceVersion, reason });
  }
  return plan;
}
