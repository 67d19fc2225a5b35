import { apiStatus, type KubeApi } from './kubeApi.js';
import { resourcePath } from './kindListers.js';
import type { Logger } from 'pino';
import { describeApiError } from './describeApiError.js';
import { type EventRequest, eventName, newEvent, repeatPatch } from './eventPlan.js';

export type { EventRequest, EventSubject } from './eventPlan.js';

/** The series of a stored Event: its count (0 without a series) and the version it was read at. */
export interface StoredSeries {
  count: number;
  resourceVersion: string;
}

/** The Event calls the recorder needs; 409 and 404 are values. The real one is `kubeEventClient`. */
export interface EventClient {
  create(namespace: string, body: Record<string, unknown>): Promise<'created' | 'exists'>;
  /** The stored series, or undefined when the Event is gone. */
  readSeries(namespace: string, name: string): Promise<StoredSeries | undefined>;
  /** A merge patch that applies only while the Event is still at `resourceVersion`. */
  patch(namespace: string, name: string, resourceVersion: string, patch: Record<string, unknown>): Promise<'patched' | 'missing' | 'conflict'>;
}

export interface EventRecorderOptions {
  client: EventClient;
  /** This replica (POD_NAME): `reportingInstance`. */
  instance: string;
  logger: Logger;
  /** Token bucket: sustained writes per second and burst (client-go's event broadcaster is similar). */
  qps?: number;
  burst?: number;
  now?: () => number;
}

export interface EventRecorder {
  /** Records an Event in the background. Never throws, never waits: Events are best effort. */
  record(request: EventRequest): void;
  /** Resolves when every write started so far has finished (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * Writes `events.k8s.io/v1` Events, one per subject and reason, counting repeats in its series. The
 * deterministic name makes the writes idempotent across replicas and leader hand-overs: a create
 * that finds the Event (409) adds to its series instead. Rate-limited with a token bucket; over the
 * limit an Event is dropped (and logged at debug), never queued without bound.
 */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const now = options.now ?? Date.now;
  const qps = options.qps ?? 5;
  const burst = options.burst ?? 25;
  let tokens = burst;
  let refilledAt = now();
  // Events this replica knows exist, so a repeat goes straight to read-and-patch.
  const known = new Set<string>();
  const pending = new Set<Promise<void>>();

  const take = (): boolean => {
    const at = now();
    tokens = Math.min(burst, tokens + ((at - refilledAt) / 1000) * qps);
    refilledAt = at;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  /**
   * Adds one to the series: read, then patch at the version read, so two replicas repeating at once
   * both count (one gets a conflict and reads again). False when the Event is gone.
   */
  async function repeat(namespace: string, name: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await options.client.readSeries(namespace, name);
      if (stored === undefined) return false;
      const outcome = await options.client.patch(namespace, name, stored.resourceVersion, repeatPatch(stored.count, now()));
      if (outcome === 'patched') return true;
      if (outcome === 'missing') return false;
    }
    throw new Error('the Event kept changing under five attempts to count a repeat');
  }

  async function write(request: EventRequest): Promise<void> {
    const namespace = request.regarding.namespace;
    const name = eventName(request);
    // Deleted meanwhile (Events expire after an hour): start a new one.
    if (known.has(name) && (await repeat(namespace, name))) return;
    const created = await options.client.create(namespace, newEvent(request, options.instance, now()));
    known.add(name);
    if (created === 'exists' && !(await repeat(namespace, name))) known.delete(name);
  }

  return {
    record(request) {
      if (!take()) {
        options.logger.debug({ reason: request.reason, regarding: `${request.regarding.kind}/${request.regarding.name}` }, 'event dropped by the rate limit');
        return;
      }
      const done = write(request)
        .catch((err: unknown) => {
          known.delete(eventName(request));
          options.logger.warn({ reason: request.reason, error: describeApiError(err) }, 'could not record an event');
        })
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** The recorder's calls over the API (events.k8s.io/v1). */
export function kubeEventClient(api: KubeApi): EventClient {
  const events = { apiVersion: 'events.k8s.io/v1', plural: 'events' };
  return {
    async create(namespace, body) {
      try {
        await api.call({ method: 'POST', path: resourcePath(events, namespace), body });
        return 'created';
      } catch (err) {
        if (apiStatus(err) === 409) return 'exists';
        throw err;
      }
    },
    async readSeries(namespace, name) {
      try {
        const event = await api.call<{ series?: { count?: number }; metadata?: { resourceVersion?: string } }>({ method: 'GET', path: resourcePath(events, namespace, name) });
        return { count: event.series?.count ?? 0, resourceVersion: event.metadata?.resourceVersion ?? '' };
      } catch (err) {
        if (apiStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async patch(namespace, name, resourceVersion, body) {
      try {
        await api.call({ method: 'PATCH', path: resourcePath(events, namespace, name), body: { ...body, metadata: { resourceVersion } } });
        return 'patched';
      } catch (err) {
        const status = apiStatus(err);
        if (status === 404) return 'missing';
        if (status === 409) return 'conflict';
        throw err;
      }
    },
  };
}
