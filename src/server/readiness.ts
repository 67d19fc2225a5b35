import type { InformerHealth } from '../kube/informerHealth.js';

/**
 * Why the server is not ready, or undefined when it is. Ready means every informer has listed
 * and is watching now: after a watch error, a relist or a stalled watch the view may be missing
 * what changed meanwhile, and a replica that says so is taken out of the Service until it caught up.
 */
export function notReadyReason(draining: boolean, informers: Readonly<Record<string, InformerHealth>>): string | undefined {
  if (draining) return 'shutting down';
  const entries = Object.entries(informers);
  const unsynced = entries.filter(([, health]) => !health.synced).map(([name]) => name);
  if (unsynced.length > 0) return `waiting for informers: ${unsynced.join(', ')}`;
  const restarting = entries.filter(([, health]) => !health.current).map(([name]) => name);
  if (restarting.length > 0) return `caches not synced, watch restarting: ${restarting.join(', ')}`;
  return undefined;
}
