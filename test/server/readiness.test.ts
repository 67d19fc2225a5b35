import { describe, expect, it } from 'vitest';
import { notReadyReason } from '../../src/server/readiness.js';

const good = { synced: true, current: true, lastEventAgeMs: 10 };

describe('readiness', () => {
  it('is ready when every informer has listed and is watching', () => {
    expect(notReadyReason(false, { secrets: good, pods: good })).toBeUndefined();
  });

  it('is not ready while draining, whatever the informers say', () => {
    expect(notReadyReason(true, { secrets: good })).toBe('shutting down');
  });

  it('names the informers that have not listed yet', () => {
    expect(notReadyReason(false, { secrets: good, pods: { synced: false, current: false, lastEventAgeMs: undefined } })).toBe('waiting for informers: pods');
  });

  it('is not ready while a watch restarts after it had synced: the cache may be missing changes', () => {
    const restarting = { synced: true, current: false, lastEventAgeMs: 160_000 };
    expect(notReadyReason(false, { secrets: restarting, pods: good, deployments: restarting })).toBe(
      'caches not synced, watch restarting: secrets, deployments',
    );
  });
});
