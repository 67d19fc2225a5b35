import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLeaseElector, microTime, startLeaseElection, type RunningElection } from '../../src/kube/leaseElector.js';
import { eventually } from './fakeApiServer.js';
import { fakeLeaseStore } from './fakeLeaseClient.js';

const lease = { namespace: 'credinject-system', name: 'credinject-mirror' };
const timing = { leaseDurationMs: 15_000, retryPeriodMs: 5_000, renewDeadlineMs: 10_000 };

/** Two electors on one store and one hand-driven clock (seconds). */
function pair() {
  const store = fakeLeaseStore();
  let seconds = 0;
  const now = () => seconds * 1000;
  const a = createLeaseElector(store.client(), { ...lease, ...timing, identity: 'a', now });
  const b = createLeaseElector(store.client(), { ...lease, ...timing, identity: 'b', now });
  return { store, a, b, at: (s: number) => (seconds = s), holder: () => store.get(lease.namespace, lease.name)?.holderIdentity };
}

describe('createLeaseElector', () => {
  it('lets the first of two electors take the lease and not the second', async () => {
    const { a, b, store, holder } = pair();
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(holder()).toBe('a');
    expect(store.get(lease.namespace, lease.name)).toMatchObject({ leaseDurationSeconds: 15, leaseTransitions: 0 });
  });

  it('makes exactly one leader when two create the lease at the same moment', async () => {
    const { a, b } = pair();
    const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('makes exactly one leader when two take over an expired lease at the same moment (compare-and-swap)', async () => {
    const { a, b, store, at } = pair();
    const c = createLeaseElector(store.client(), { ...lease, ...timing, identity: 'c', now: () => 20_000 });
    store.set(lease.namespace, lease.name, { holderIdentity: 'gone', leaseDurationSeconds: 15, renewTime: microTime(0) });
    at(0);
    await Promise.all([b.tryAcquireOrRenew(), c.tryAcquireOrRenew()]); // both observe
    at(20);
    const results = await Promise.all([b.tryAcquireOrRenew(), c.tryAcquireOrRenew(), a.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps a renewing leader: a follower never takes a lease renewed within its duration', async () => {
    const { a, b, at, holder } = pair();
    for (let s = 0; s <= 60; s += 5) {
      at(s);
      expect(await a.tryAcquireOrRenew()).toBe(true);
      at(s + 4);
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
    expect(holder()).toBe('a');
  });

  it('hands the lease to a follower once the leader stopped renewing for the lease duration', async () => {
    const { a, b, at, holder, store } = pair();
    at(0);
    await a.tryAcquireOrRenew();
    at(1);
    expect(await b.tryAcquireOrRenew()).toBe(false); // first sight of the record
    at(15.9);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    at(16.1);
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(holder()).toBe('b');
    expect(store.get(lease.namespace, lease.name)?.leaseTransitions).toBe(1);
    // The old leader, back, finds the lease taken and freshly renewed.
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect(a.observedHolder()).toBe('b');
  });

  it('measures expiry on its own clock from when it saw the lease change, not from the holder’s renewTime', async () => {
    const { b, store, at } = pair();
    // A renewTime far in the past, as a holder with a slow clock would write.
    store.set(lease.namespace, lease.name, { holderIdentity: 'skewed', leaseDurationSeconds: 15, renewTime: microTime(-3_600_000) });
    at(100);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    at(114);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    at(115.1);
    expect(await b.tryAcquireOrRenew()).toBe(true);
  });

  it('gives a released lease to the next elector at once', async () => {
    const { a, b, holder, store } = pair();
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    await a.release();
    expect(store.get(lease.namespace, lease.name)).toMatchObject({ leaseDurationSeconds: 1 });
    expect(holder()).toBeUndefined();
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(holder()).toBe('b');
  });

  it('does not release a lease someone else holds', async () => {
    const { a, b, holder } = pair();
    await a.tryAcquireOrRenew();
    await b.release();
    expect(holder()).toBe('a');
  });

  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
  });
});

describe('startLeaseElection', () => {
  const fast = { leaseDurationMs: 300, retryPeriodMs: 20, renewDeadlineMs: 150 };
  const logger = pino({ level: 'silent' });
  const running: RunningElection[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((election) => election.stop()));
  });

  function start(store: ReturnType<typeof fakeLeaseStore>, identity: string, events: string[], partitioned?: () => boolean, durations = fast) {
    const election = startLeaseElection(
      store.client(partitioned ? { partitioned } : {}),
      { ...lease, ...durations, identity, logger },
      {
        onStartedLeading: () => void events.push(`${identity} started`),
        onStoppedLeading: async () => void events.push(`${identity} stopped`),
      },
    );
    running.push(election);
    return election;
  }

  it('elects exactly one of two, and keeps it while it renews', async () => {
    const store = fakeLeaseStore();
    const events: string[] = [];
    const a = start(store, 'a', events);
    const b = start(store, 'b', events);
    let bothLeading = false;
    const sampler = setInterval(() => (bothLeading ||= a.isLeader() && b.isLeader()), 2);
    await eventually(() => store.writes.length >= 15, 'fifteen lease writes');
    clearInterval(sampler);
    expect(bothLeading).toBe(false);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('steps a cut-off leader down before the follower takes over on expiry', async () => {
    const store = fakeLeaseStore();
    const events: string[] = [];
    let cut = false;
    const a = start(store, 'a', events, () => cut);
    await eventually(() => a.isLeader(), 'a to lead');
    const b = start(store, 'b', events);
    await eventually(() => store.writes.length >= 3, 'a to renew');
    cut = true;
    await eventually(() => b.isLeader(), 'b to take over', 3000);
    expect(a.isLeader()).toBe(false);
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
  });

  it('hands back a lease it acquired while being stopped', async () => {
    const store = fakeLeaseStore();
    const events: string[] = [];
    let letCreateThrough!: () => void;
    const gate = new Promise<void>((resolve) => (letCreateThrough = resolve));
    const inner = store.client();
    const election = startLeaseElection(
      { ...inner, create: async (...args) => (await gate, inner.create(...args)) },
      { ...lease, ...fast, identity: 'late', logger },
      { onStartedLeading: () => void events.push('started'), onStoppedLeading: async () => void events.push('stopped') },
    );
    const stopping = election.stop();
    letCreateThrough();
    await stopping;
    expect(store.writes.map((w) => w.kind)).toEqual(['create', 'replace']);
    expect(store.get(lease.namespace, lease.name)?.holderIdentity).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('stop() ends when the API server accepts and never answers: the lease is left to expire', async () => {
    const store = fakeLeaseStore();
    const events: string[] = [];
    let hang = false;
    const inner = store.client();
    const never = new Promise<never>(() => {});
    const hangs = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => (...args: A) => (hang ? never : call(...args));
    const election = startLeaseElection(
      { read: hangs(inner.read), create: hangs(inner.create), replace: hangs(inner.replace) },
      { ...lease, ...fast, identity: 'a', logger, stopTimeoutMs: 50 },
      { onStartedLeading: () => void events.push('started'), onStoppedLeading: async () => void events.push('stopped') },
    );
    await eventually(() => election.isLeader(), 'a to lead');
    hang = true;
    await eventually(() => store.writes.length >= 1, 'a renewal in flight');
    await election.stop(); // before the bound this waited for the renewal forever
    expect(election.isLeader()).toBe(false);
    expect(store.get(lease.namespace, lease.name)?.holderIdentity).toBe('a');
  });

  it('stops writers, then releases the lease on stop, so the follower leads without waiting for expiry', async () => {
    const store = fakeLeaseStore();
    const events: string[] = [];
    const slow = { leaseDurationMs: 60_000, retryPeriodMs: 20, renewDeadlineMs: 40_000 };
    const a = start(store, 'a', events, undefined, slow);
    await eventually(() => a.isLeader(), 'a to lead');
    const b = start(store, 'b', events, undefined, slow);
    await a.stop();
    expect(events).toEqual(['a started', 'a stopped']);
    await eventually(() => b.isLeader(), 'b to lead after the release', 2000);
  });
});
