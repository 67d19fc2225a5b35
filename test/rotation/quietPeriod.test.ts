import { describe, expect, it } from 'vitest';
import { changedKeys, emptyQuietState, isSettled, nextSettleAt, observe, rebase } from '../../src/rotation/quietPeriod.js';

const quietMs = 10_000;
const v1 = { a: '1', b: '1' };
const v2 = { a: '2', b: '1' };
const v3 = { a: '2', b: '3' };

describe('the quiet period', () => {
  it('treats a credential first seen as just changed, with no changed keys known', () => {
    const state = observe(emptyQuietState, [{ id: 'ml/aws', digests: v1 }], 0);
    expect(isSettled(state.get('ml/aws')!, 9_999, quietMs)).toBe(false);
    expect(isSettled(state.get('ml/aws')!, 10_000, quietMs)).toBe(true);
    expect(changedKeys(state.get('ml/aws')!)).toEqual([]);
  });

  it.each([
    ['one update', [[1_000, v2]], 11_000, ['a']],
    ['two updates inside the period: settles after the last, naming both keys', [[1_000, v2], [5_000, v3]], 15_000, ['a', 'b']],
    ['an update back to the start: nothing changed', [[1_000, v2], [2_000, v1]], 12_000, []],
  ] as const)('%s', (_name, updates, settlesAt, keys) => {
    let state = rebase(observe(emptyQuietState, [{ id: 'x', digests: v1 }], -quietMs), ['x']);
    for (const [at, digests] of updates) state = observe(state, [{ id: 'x', digests }], at);
    const observed = state.get('x')!;
    expect(isSettled(observed, settlesAt - 1, quietMs)).toBe(false);
    expect(isSettled(observed, settlesAt, quietMs)).toBe(true);
    expect(nextSettleAt(state, settlesAt - 1, quietMs)).toBe(settlesAt);
    expect(changedKeys(observed)).toEqual(keys);
  });

  it('keeps the time of the last change when the same data is seen again', () => {
    let state = observe(emptyQuietState, [{ id: 'x', digests: v1 }], 0);
    state = observe(state, [{ id: 'x', digests: { ...v1 } }], 5_000);
    expect(state.get('x')!.changedAt).toBe(0);
  });

  it('forgets credentials no longer seen, and rebasing clears the changed keys', () => {
    let state = observe(emptyQuietState, [{ id: 'x', digests: v1 }, { id: 'y', digests: v1 }], 0);
    state = observe(state, [{ id: 'x', digests: v2 }], 1);
    expect([...state.keys()]).toEqual(['x']);
    expect(changedKeys(rebase(state, ['x']).get('x')!)).toEqual([]);
    expect(nextSettleAt(state, 100_000, quietMs)).toBeUndefined();
  });
});
