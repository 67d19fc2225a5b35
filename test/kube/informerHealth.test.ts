import { describe, expect, it } from 'vitest';
import { isSilent, silenceCheckIntervalMs } from '../../src/kube/informerHealth.js';

describe('watch silence', () => {
  it.each([
    [149_999, false],
    [150_000, true],
    [600_000, true],
  ])('after %d ms without a byte, a watch bounded at 150 s is silent: %s', (idle, silent) => {
    expect(isSilent(1_000_000 + idle, 1_000_000, 150_000, false)).toBe(silent);
  });

  it('is never silent while it waits out a retry delay', () => {
    expect(isSilent(10_000_000, 0, 150_000, true)).toBe(false);
  });

  it('checks about ten times per bound, at most every 5 s (the old watchdog looked every 150 s)', () => {
    expect(silenceCheckIntervalMs(150_000)).toBe(5_000);
    expect(silenceCheckIntervalMs(3_000)).toBe(300);
    expect(silenceCheckIntervalMs(100)).toBe(50);
  });
});
