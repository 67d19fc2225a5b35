/**
 * The quiet period as pure state: a credential counts as settled once its data has not changed for
 * the quiet period, so the keys of one rotation written one after the other make one rollout. Each
 * credential also keeps the digests it had when last acted on (its baseline), which names the keys
 * that changed since. A credential first seen counts as just changed: a new leader that took over
 * mid-rotation waits too, instead of restarting between two writes of the same rotation.
 */
export interface ObservedCredential {
  /** Per-key keyed digests now. */
  digests: Readonly<Record<string, string>>;
  /** Per-key digests when the controller last acted on it (or first saw it). */
  baseline: Readonly<Record<string, string>>;
  /** When the digests last changed (or were first seen), ms. */
  changedAt: number;
}

export type QuietState = ReadonlyMap<string, ObservedCredential>;

export const emptyQuietState: QuietState = new Map();

function sameDigests(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** The state after seeing the credentials' digests now; credentials no longer present are forgotten. */
export function observe(state: QuietState, credentials: Iterable<{ id: string; digests: Readonly<Record<string, string>> }>, now: number): QuietState {
  const next = new Map<string, ObservedCredential>();
  for (const { id, digests } of credentials) {
    const known = state.get(id);
    if (!known) next.set(id, { digests, baseline: digests, changedAt: now });
    else if (sameDigests(known.digests, digests)) next.set(id, known);
    else next.set(id, { digests, baseline: known.baseline, changedAt: now });
  }
  return next;
}

/** Settled: unchanged for at least `quietMs`. */
export function isSettled(observed: ObservedCredential, now: number, quietMs: number): boolean {
  return now - observed.changedAt >= quietMs;
}

/** When the next credential settles, or undefined when all have: when to look again. */
export function nextSettleAt(state: QuietState, now: number, quietMs: number): number | undefined {
  let next: number | undefined;
  for (const observed of state.values()) {
    if (isSettled(observed, now, quietMs)) continue;
    const at = observed.changedAt + quietMs;
    next = next === undefined ? at : Math.min(next, at);
  }
  return next;
}

/** Keys whose digest differs from the baseline (added and removed keys included), sorted. */
export function changedKeys(observed: ObservedCredential): string[] {
  const keys = new Set([...Object.keys(observed.digests), ...Object.keys(observed.baseline)]);
  return [...keys].filter((key) => observed.digests[key] !== observed.baseline[key]).sort();
}

/** The state after acting on these credentials: their baseline becomes what they hold now. */
export function rebase(state: QuietState, ids: Iterable<string>): QuietState {
  const next = new Map(state);
  for (const id of ids) {
    const observed = next.get(id);
    if (observed) next.set(id, { ...observed, baseline: observed.digests });
  }
  return next;
}
