import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/kube/backoff.js';

const policy = { initialMs: 100, maxMs: 1000 };

describe('backoffDelay', () => {
  it.each([
    [0, 50, 100],
    [1, 100, 200],
    [2, 200, 400],
    [3, 400, 800],
    [4, 500, 1000],
    [40, 500, 1000],
  ])('keeps retry %i between %i and %i ms', (attempt, low, high) => {
    expect(backoffDelay(attempt, policy, () => 0)).toBe(low);
    expect(backoffDelay(attempt, policy, () => 1)).toBe(high);
  });

  it('spreads replicas apart (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(1);
  });
});
