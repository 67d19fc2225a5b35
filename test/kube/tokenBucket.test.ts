import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/kube/tokenBucket.js';

/** A bucket on a fake clock whose sleep advances the clock: counts how long N takes would wait. */
function fakeBucket(qps: number, burst: number) {
  let now = 0;
  const bucket = createTokenBucket({ qps, burst, now: () => now, sleep: async (ms) => void (now += ms) });
  return { bucket, elapsed: () => now };
}

describe('the token bucket', () => {
  it.each([
    [5, 10, 10, 0],
    [5, 10, 11, 200],
    [5, 10, 60, 10_000],
    [50, 100, 1_100, 20_000],
  ])('at qps %d burst %d lets %d writes through in %d ms', async (qps, burst, writes, ms) => {
    const { bucket, elapsed } = fakeBucket(qps, burst);
    for (let i = 0; i < writes; i++) expect(await bucket.take()).toBe(true);
    expect(elapsed()).toBe(ms);
  });

  it('gives up when stopped while waiting', async () => {
    const { bucket } = fakeBucket(1, 1);
    await bucket.take();
    expect(await bucket.take(() => true)).toBe(false);
  });
});
