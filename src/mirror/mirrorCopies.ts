import { keys } from '../contract/keys.js';
import { parseLabelSelector, selectorMatches } from '../credentials/labelSelector.js';
import { mirrorDataHash, mirroredFromValue } from './mirrorSecret.js';
import { neverMirroredInto } from './plan.js';

/** A Secret of the cluster credential's name in another namespace, as the API lists it. */
export interface SameNameSecret {
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Its data as listed: compared with the source's here and dropped, never kept or printed. */
  data?: Readonly<Record<string, string>>;
}

export interface MirrorCopiesInput {
  source: { namespace: string; name: string; data?: Readonly<Record<string, string>>; selector: string };
  namespaces: readonly { name: string; labels?: Record<string, string> }[];
  sameName: readonly SameNameSecret[];
}

export type CopyState = 'up to date' | 'outdated' | 'pending' | 'conflict';

/**
 * Where a cluster credential stands in every namespace it selects (`credinject describe`, the
 * dashboard): its mirror holds the source's data (`up to date`), an older one (`outdated`), none yet
 * (`pending`), or a Secret that is not its mirror holds the name (`conflict`). Pure. The data
 * themselves are compared (an unkeyed hash of each, in this process only), not the mirror's keyed
 * `credinject.dev/mirror-hash`, which needs the digest key a reader of the cluster need not hold;
 * it is what the controller compares too (a hash of the mirror's data, not its annotation).
 */
export function mirrorCopies(input: MirrorCopiesInput): { namespace: string; state: CopyState }[] {
  const parsed = parseLabelSelector(input.source.selector);
  if (!('selector' in parsed)) return [];
  const hash = mirrorDataHash(input.source.data);
  const from = mirroredFromValue(input.source);
  const byNamespace = new Map(input.sameName.map((secret) => [secret.namespace, secret]));
  return input.namespaces
    .filter((ns) => !neverMirroredInto(ns.name, input.source.namespace) && selectorMatches(parsed.selector, ns.labels ?? {}))
    .map((ns) => {
      const existing = byNamespace.get(ns.name);
      if (!existing) return { namespace: ns.name, state: 'pending' as const };
      const isMirror = existing.labels?.[keys.mirrorLabel] !== undefined && existing.annotations?.[keys.mirroredFrom] === from;
      if (!isMirror) return { namespace: ns.name, state: 'conflict' as const };
      return { namespace: ns.name, state: mirrorDataHash(existing.data) === hash ? ('up to date' as const) : ('outdated' as const) };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
}
