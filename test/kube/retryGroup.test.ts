import { describe, expect, it } from 'vitest';
import { afterConnect, afterDisconnect, afterFailure, createRetryGroup, emptyRetryGroup, type RetryGroupPolicy } from '../../src/kube/retryGroup.js';

const policy: RetryGroupPolicy = { initialMs: 500, maxMs: 30_000, reachableMaxMs: 5_000 };
const top = () => 1; // the top of the jitter range: the step itself

/** Fails `member` `times` in a row; returns the state and the last delay. */
function failTimes(member: string, times: number, state = emptyRetryGroup) {
  let delayMs = 0;
  for (let i = 0; i < times; i++) ({ state, delayMs } = afterFailure(state, member, policy, top));
  return { state, delayMs };
}

describe('retry group', () => {
  it('backs off exponentially up to the cap while every member is failing (an outage)', () => {
    expect(failTimes('pods', 1).delayMs).toBe(500);
    expect(failTimes('pods', 4).delayMs).toBe(4_000);
    expect(failTimes('pods', 12).delayMs).toBe(30_000);
  });

  it('caps the delay low while another member is connected: the API server answers', () => {
    const { state } = afterConnect(failTimes('pods', 12).state, 'secrets');
    const again = failTimes('pods', 12, state);
    expect(again.delayMs).toBe(5_000);
  });

  it('starts every member over when one reconnects, and hurries those waiting to retry', () => {
    let state = failTimes('pods', 10).state;
    state = failTimes('statefulsets', 10, state).state;
    const connected = afterConnect(state, 'pods');
    expect(connected.hurry).toEqual(['statefulsets']);
    expect(connected.state.attempts).toEqual({});
    // The next failure of the other member starts from the first step, not from 30 s.
    expect(afterFailure(connected.state, 'statefulsets', policy, top).delayMs).toBe(500);
  });

  it('does not count a member that failed or left as proof the server is reachable', () => {
    const connected = afterConnect(emptyRetryGroup, 'secrets').state;
    const failedToo = afterFailure(connected, 'secrets', policy, top).state;
    expect(failTimes('pods', 12, failedToo).delayMs).toBe(30_000);
    expect(failTimes('pods', 12, afterDisconnect(connected, 'secrets')).delayMs).toBe(30_000);
  });

  it('calls the hurried members back through the shared holder', () => {
    const group = createRetryGroup(policy, top);
    const hurried: string[] = [];
    group.join('pods', () => hurried.push('pods'));
    group.join('secrets', () => hurried.push('secrets'));
    group.failed('pods');
    group.failed('pods');
    group.connected('secrets');
    expect(hurried).toEqual(['pods']);
  });
});
