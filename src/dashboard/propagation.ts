import { keys } from '../contract/keys.js';
import { parseLabelSelector, selectorMatches } from '../credentials/labelSelector.js';
import { isMirrorOf } from '../mirror/mirrorSecret.js';
import { neverMirroredInto } from '../mirror/plan.js';
import type { DashboardCredential } from './dashboardCredential.js';
import type { DashboardSnapshot } from './snapshot.js';

/**
 * One namespace a cluster credential should (or should no longer) have a copy in.
 * `current`: the copy holds the source's data; `outdated`: it holds other data; `missing`: the
 * namespace is selected and has no copy yet; `leaving`: a copy in a namespace no longer selected
 * (kept while something uses it).
 */
export type CopyState = 'current' | 'outdated' | 'missing' | 'leaving';

export interface MirrorCopy {
  namespace: string;
  state: CopyState;
}

export interface Propagation {
  /** The `credinject.dev/namespace-selector` text. */
  selector: string;
  /** Why the selector does not parse (nothing is mirrored then). */
  selectorError?: string;
  /** By namespace. */
  copies: MirrorCopy[];
  /** Copies still to be written or brought up to date (`outdated` + `missing`). */
  pending: number;
  /** False when Namespaces could not be listed: then only the copies that exist are judged. */
  namespacesKnown: boolean;
}

/** A cluster credential that is a source (not itself a copy). */
export function isClusterSource(credential: DashboardCredential): boolean {
  const { labels } = credential.info;
  return labels[keys.scopeLabel] === 'cluster' && labels[keys.mirrorLabel] !== 'true';
}

/** `<namespace>/<name>` of the source a credential is a copy of, when it is one. */
export function sourceOf(credential: DashboardCredential): string | undefined {
  const { info } = credential;
  return info.labels[keys.mirrorLabel] === 'true' ? info.annotations[keys.mirroredFrom] : undefined;
}

/** The copies of each source, keyed by `<namespace>/<name>` of the source, found once per snapshot. */
export function copiesBySource(credentials: readonly DashboardCredential[]): Map<string, DashboardCredential[]> {
  const bySource = new Map<string, DashboardCredential[]>();
  for (const credential of credentials) {
    const source = sourceOf(credential);
    if (source === undefined) continue;
    const [namespace = ''] = source.split('/');
    // The same test the mirror controller uses: label, and `mirrored-from` naming a Secret of its name.
    if (!isMirrorOf({ name: credential.info.name, labels: credential.info.labels, annotations: credential.info.annotations }, namespace)) continue;
    const list = bySource.get(source) ?? [];
    list.push(credential);
    bySource.set(source, list);
  }
  return bySource;
}

const byNamespace = (a: MirrorCopy, b: MirrorCopy): number => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0);

/**
 * Where a cluster credential's copies stand, judged only in namespaces whose Secrets the user could
 * list (a namespace we could not read is not "missing" a copy, it is unknown).
 */
export function propagationOf(
  source: DashboardCredential,
  copies: readonly DashboardCredential[],
  snapshot: Pick<DashboardSnapshot, 'namespaces' | 'secretsListedIn'>,
): Propagation {
  const selectorText = source.info.annotations[keys.namespaceSelector] ?? '';
  const parsed = parseLabelSelector(selectorText);
  const listed = (namespace: string): boolean => snapshot.secretsListedIn === 'all' || snapshot.secretsListedIn.includes(namespace);
  const existing = new Map(copies.map((copy) => [copy.info.namespace, copy]));
  const result: MirrorCopy[] = [];
  const expected = new Set<string>();
  if (snapshot.namespaces && !('error' in parsed)) {
    for (const namespace of snapshot.namespaces) {
      if (namespace.terminating || neverMirroredInto(namespace.name, source.info.namespace) || !listed(namespace.name)) continue;
      if (selectorMatches(parsed.selector, namespace.labels)) expected.add(namespace.name);
    }
  }
  for (const [namespace, copy] of existing) {
    const current = copy.dataDigest === source.dataDigest;
    const leaving = snapshot.namespaces !== undefined && !('error' in parsed) && !expected.has(namespace);
    result.push({ namespace, state: leaving ? 'leaving' : current ? 'current' : 'outdated' });
  }
  for (const namespace of expected) if (!existing.has(namespace)) result.push({ namespace, state: 'missing' });
  result.sort(byNamespace);
  const propagation: Propagation = {
    selector: selectorText,
    copies: result,
    pending: result.filter((copy) => copy.state === 'outdated' || copy.state === 'missing').length,
    namespacesKnown: snapshot.namespaces !== undefined,
  };
  if ('error' in parsed) propagation.selectorError = parsed.error;
  return propagation;
}
