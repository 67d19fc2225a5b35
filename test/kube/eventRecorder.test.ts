import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { eventName, newEvent, repeatPatch, type EventRequest } from '../../src/kube/eventPlan.js';
import { createEventRecorder, type EventClient } from '../../src/kube/eventRecorder.js';

const logger = pino({ level: 'silent' });

const rotated: EventRequest = {
  regarding: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'trainer', uid: 'u-1' },
  type: 'Normal',
  reason: 'CredentialRotated',
  action: 'Restart',
  note: 'restarted for credential "aws-s3" (keys secret_access_key)',
};

/**
 * What the API server refuses to change in an `events.k8s.io/v1` Event (ValidateEventUpdate): every
 * field but the series and metadata. A repeat that touches one of them gets 422 "field is immutable".
 */
const immutableFields = ['eventTime', 'reportingController', 'reportingInstance', 'action', 'reason', 'type', 'note', 'regarding', 'related'];

/** An in-memory Event store shared by any number of recorders (replicas), with 409 on a taken name and 422 on an immutable field. */
function fakeEvents() {
  const events = new Map<string, Record<string, unknown>>();
  const versions = new Map<string, number>();
  const calls: string[] = [];
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const client: EventClient = {
    async create(namespace, body) {
      await tick();
      const key = `${namespace}/${(body['metadata'] as { name: string }).name}`;
      calls.push(`create ${key}`);
      if (events.has(key)) return 'exists';
      events.set(key, structuredClone(body));
      versions.set(key, 1);
      return 'created';
    },
    async readSeries(namespace, name) {
      await tick();
      calls.push(`read ${namespace}/${name}`);
      const event = events.get(`${namespace}/${name}`);
      if (event === undefined) return undefined;
      return { count: (event['series'] as { count?: number } | undefined)?.count ?? 0, resourceVersion: String(versions.get(`${namespace}/${name}`)) };
    },
    async patch(namespace, name, resourceVersion, patch) {
      await tick();
      calls.push(`patch ${namespace}/${name}`);
      const key = `${namespace}/${name}`;
      const event = events.get(key);
      if (!event) return 'missing';
      if (String(versions.get(key)) !== resourceVersion) return 'conflict';
      const changed = immutableFields.filter((field) => field in patch && JSON.stringify(patch[field]) !== JSON.stringify(event[field]));
      if (changed.length > 0) throw new Error(`HTTP 422 Invalid: Event "${name}" is invalid: ${changed.join(', ')}: field is immutable`);
      Object.assign(event, patch);
      versions.set(key, (versions.get(key) ?? 0) + 1);
      return 'patched';
    },
  };
  return { client, events, calls };
}

describe('Event plan', () => {
  it('names one Event per subject and reason, as a DNS subdomain', () => {
    const name = eventName(rotated);
    expect(name).toMatch(/^trainer\.[0-9a-f]{12}$/);
    expect(eventName({ ...rotated })).toBe(name);
    expect(eventName({ ...rotated, reason: 'RotationHeld' })).not.toBe(name);
    expect(eventName({ ...rotated, regarding: { ...rotated.regarding, uid: 'u-2' } })).not.toBe(name);
  });

  it('writes an events.k8s.io/v1 Event with every field the API server requires', () => {
    const event = newEvent(rotated, 'credinject-7d9-x', Date.UTC(2026, 11, 2, 10, 0, 0, 123));
    expect(event).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      metadata: { namespace: 'ml' },
      eventTime: '2026-12-02T10:00:00.123000Z',
      reportingController: 'credinject.dev/credinject',
      reportingInstance: 'credinject-7d9-x',
      action: 'Restart',
      reason: 'CredentialRotated',
      type: 'Normal',
      regarding: { kind: 'Deployment', name: 'trainer', namespace: 'ml', uid: 'u-1' },
    });
  });

  it('counts the first occurrence in the series of a repeat, touches nothing else, and keeps notes within 1 kB', () => {
    expect(repeatPatch(0, 0)).toEqual({ series: { count: 2, lastObservedTime: '1970-01-01T00:00:00.000000Z' } });
    expect(repeatPatch(4, 0)).toMatchObject({ series: { count: 5 } });
    const long = newEvent({ ...rotated, note: 'é'.repeat(2000) }, 'i', 0);
    expect(Buffer.byteLength(long['note'] as string)).toBeLessThanOrEqual(1024);
  });
});

describe('Event recorder', () => {
  it('creates once, then adds repeats to the series', async () => {
    const { client, events } = fakeEvents();
    const recorder = createEventRecorder({ client, instance: 'a', logger });
    for (let i = 0; i < 3; i++) {
      recorder.record(rotated);
      await recorder.flush();
    }
    expect(events.size).toBe(1);
    expect([...events.values()][0]).toMatchObject({ series: { count: 3 } });
  });

  it('makes two replicas (or a new leader after a hand-over) add to the same Event, not a second one', async () => {
    const { client, events } = fakeEvents();
    const first = createEventRecorder({ client, instance: 'a', logger });
    const second = createEventRecorder({ client, instance: 'b', logger });
    first.record(rotated);
    await first.flush();
    second.record(rotated);
    await second.flush();
    expect(events.size).toBe(1);
    expect([...events.values()][0]).toMatchObject({ series: { count: 2 }, reportingInstance: 'a' });
  });

  it('counts every repeat when two replicas alternate and when they repeat at the same moment', async () => {
    const { client, events } = fakeEvents();
    const [a, b] = ['a', 'b'].map((instance) => createEventRecorder({ client, instance, logger }));
    for (const replica of [a!, b!, a!]) {
      replica.record(rotated);
      await replica.flush();
    }
    a!.record(rotated);
    b!.record(rotated);
    await Promise.all([a!.flush(), b!.flush()]);
    expect([...events.values()][0]).toMatchObject({ series: { count: 5 } });
  });

  // The e2e flake "second refusal to be counted": between two refusals the usage index learned of the
  // Deployment's ReplicaSet and Pod, so the second note named three users; the API server refused the
  // repeat (the note is immutable) and the count stayed at 1.
  it('counts a repeat whose note changed (the series changes, the first note stays: the API keeps it immutable)', async () => {
    const { client, events } = fakeEvents();
    const warnings: string[] = [];
    const watching = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const recorder = createEventRecorder({ client, instance: 'a', logger: watching });
    recorder.record({ ...rotated, note: 'used by 1 object: Deployment/by-hand' });
    await recorder.flush();
    recorder.record({ ...rotated, note: 'used by 3 objects: Deployment/by-hand, ReplicaSet/by-hand-6f, Pod/by-hand-6f-x' });
    await recorder.flush();
    expect(warnings).toEqual([]);
    expect([...events.values()][0]).toMatchObject({ series: { count: 2 }, note: 'used by 1 object: Deployment/by-hand' });
  });

  it('starts a new Event when the old one expired (deleted by its TTL)', async () => {
    const { client, events } = fakeEvents();
    const recorder = createEventRecorder({ client, instance: 'a', logger });
    recorder.record(rotated);
    await recorder.flush();
    events.clear();
    recorder.record(rotated);
    await recorder.flush();
    expect(events.size).toBe(1);
    expect([...events.values()][0]!['series']).toBeUndefined();
  });

  it('drops Events over its rate limit instead of queueing them, and refills with time', async () => {
    const { client, calls } = fakeEvents();
    let clock = 0;
    const recorder = createEventRecorder({ client, instance: 'a', logger, qps: 1, burst: 2, now: () => clock });
    for (let i = 0; i < 5; i++) recorder.record({ ...rotated, regarding: { ...rotated.regarding, name: `w-${i}` } });
    await recorder.flush();
    expect(calls.filter((call) => call.startsWith('create'))).toHaveLength(2);
    clock += 1000;
    recorder.record({ ...rotated, regarding: { ...rotated.regarding, name: 'later' } });
    await recorder.flush();
    expect(calls.filter((call) => call.startsWith('create'))).toHaveLength(3);
  });

  it('never throws into the caller when the API fails', async () => {
    const failing: EventClient = {
      create: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')),
      readSeries: () => Promise.reject(new Error('down')),
      patch: () => Promise.reject(new Error('down')),
    };
    const recorder = createEventRecorder({ client: failing, instance: 'a', logger });
    expect(() => recorder.record(rotated)).not.toThrow();
    await expect(recorder.flush()).resolves.toBeUndefined();
  });
});
