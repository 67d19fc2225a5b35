export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * Delay before retry number `attempt` (0-based): exponential with "equal jitter", i.e. between half
 * and all of the exponential step. Jitter keeps replicas that lost the API server together from
 * reconnecting in lockstep; the lower half bound keeps a floor so a flapping server is not hammered.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}
