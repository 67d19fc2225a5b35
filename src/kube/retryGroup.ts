import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';

/** How the informers of one API server retry together. */
export interface RetryGroupPolicy extends BackoffPolicy {
  /** The cap while some member is connected: the API server answers, so a failure is not an outage. */
  reachableMaxMs: number;
}

export const defaultRetryGroupPolicy: RetryGroupPolicy = { ...defaultBackoff, reachableMaxMs: 5_000 };

/** Failures in a row per member, and which members have a watch open right now. */
export interface RetryGroupState {
  readonly attempts: Readonly<Record<string, number>>;
  readonly connected: readonly string[];
}

export const emptyRetryGroup: RetryGroupState = { attempts: {}, connected: [] };

/**
 * A member failed: its delay before the next try. Exponential while every member is failing (an
 * outage: do not hammer a server that is down), capped low while any other member is connected
 * (the server answers, so this member's view must come back quickly).
 */
export function afterFailure(
  state: RetryGroupState,
  member: string,
  policy: RetryGroupPolicy = defaultRetryGroupPolicy,
  random: () => number = Math.random,
): { state: RetryGroupState; delayMs: number } {
  const attempt = state.attempts[member] ?? 0;
  const connected = state.connected.filter((name) => name !== member);
  const reachable = connected.length > 0;
  const delayMs = backoffDelay(attempt, reachable ? { initialMs: policy.initialMs, maxMs: Math.min(policy.maxMs, policy.reachableMaxMs) } : policy, random);
  return { state: { attempts: { ...state.attempts, [member]: attempt + 1 }, connected }, delayMs };
}

/**
 * A member's watch is open again: the API server is back, so every member's backoff starts over,
 * and the members waiting out a long delay (grown during the outage) should retry now.
 */
export function afterConnect(state: RetryGroupState, member: string): { state: RetryGroupState; hurry: string[] } {
  const hurry = Object.entries(state.attempts)
    .filter(([name, attempts]) => name !== member && attempts > 0)
    .map(([name]) => name);
  const connected = state.connected.includes(member) ? state.connected : [...state.connected, member];
  return { state: { attempts: {}, connected }, hurry };
}

/** A member stopped (or its watch is being replaced): it no longer proves the server reachable. */
export function afterDisconnect(state: RetryGroupState, member: string): RetryGroupState {
  return { attempts: state.attempts, connected: state.connected.filter((name) => name !== member) };
}

/**
 * The mutable holder the informers share (the I/O side): each member registers how to be hurried;
 * the decisions are the functions above.
 */
export interface RetryGroup {
  failed(member: string): number;
  connected(member: string): void;
  disconnected(member: string): void;
  /** `retryNow` is called when another member reconnects while this one waits to retry. */
  join(member: string, retryNow: () => void): () => void;
}

export function createRetryGroup(policy: RetryGroupPolicy = defaultRetryGroupPolicy, random: () => number = Math.random): RetryGroup {
  let state = emptyRetryGroup;
  const members = new Map<string, () => void>();
  return {
    failed(member) {
      const next = afterFailure(state, member, policy, random);
      state = next.state;
      return next.delayMs;
    },
    connected(member) {
      const next = afterConnect(state, member);
      state = next.state;
      for (const name of next.hurry) members.get(name)?.();
    },
    disconnected(member) {
      state = afterDisconnect(state, member);
    },
    join(member, retryNow) {
      members.set(member, retryNow);
      return () => {
        members.delete(member);
        state = afterDisconnect(state, member);
      };
    },
  };
}
