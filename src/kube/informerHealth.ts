/** What an informer can say about its view, read by readiness, metrics and deletion protection. */
export interface InformerHealth {
  /** The first full list is in the cache (stays true across reconnects). */
  synced: boolean;
  /**
   * Known good: listed and watching, the watch established and not silent past the bound. False
   * from a watch error, a relist or a silence until the next watch is open again.
   */
  current: boolean;
  /** Milliseconds since the last event, bookmark, list page or watch start; undefined before any. */
  lastEventAgeMs: number | undefined;
}

/**
 * A watch is dead when nothing arrived for `silenceMs`: the API server sends a bookmark about every
 * minute on a quiet watch that asked for them, so silence past the bound means a stalled connection
 * (TCP up, no bytes), not a quiet cluster. A pending retry is not silence, it is waiting.
 */
export function isSilent(now: number, lastActivityMs: number, silenceMs: number, retryPending: boolean): boolean {
  return !retryPending && now - lastActivityMs >= silenceMs;
}

/** How often to check for silence: often enough that a silent watch is caught within about a tenth of the bound. */
export function silenceCheckIntervalMs(silenceMs: number): number {
  return Math.max(50, Math.min(5_000, Math.floor(silenceMs / 10)));
}
