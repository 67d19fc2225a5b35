import type { Logger } from 'pino';
import { describeApiError } from './describeApiError.js';
import { settleWithin } from './settleWithin.js';

/** The fields of a `coordination.k8s.io/v1` Lease that election reads and writes. */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** RFC 3339 with microseconds (a MicroTime), or undefined. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  /** Set on reads; a write carrying it is a compare-and-swap. */
  resourceVersion?: string;
}

/**
 * The three Lease calls election needs; writes answer the stored record (with its new
 * resourceVersion), conflicts are values. The real one is `kubeLeaseClient`.
 */
export interface LeaseClient {
  read(namespace: string, name: string): Promise<LeaseRecord | undefined>;
  create(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord | 'exists'>;
  /** Replaces the Lease if its resourceVersion is still `record.resourceVersion`. */
  replace(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord | 'conflict'>;
}

export interface LeaseElectorOptions {
  namespace: string;
  name: string;
  /** Unique per process: the Lease's holderIdentity. */
  identity: string;
  /** How long a Lease holds without renewal before others may take it (15 s). */
  leaseDurationMs: number;
  /** Renewal (and, for followers, acquisition) period (5 s). */
  retryPeriodMs: number;
  /** A leader that could not renew for this long stops leading, before others may take over (10 s). */
  renewDeadlineMs: number;
  /**
   * How long stop() waits for a step in flight and for the release: an API server that accepts and
   * never answers must not hold the shutdown. The Lease then expires by itself (1 s default).
   */
  stopTimeoutMs?: number;
  now?: () => number;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits (what the API server parses). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * One step of client-go's lease election, without timers: read the Lease, then create it, renew it
 * (we hold it) or take it over (free, or not renewed for its duration). Expiry is measured on our own
 * clock from when we last saw the Lease change, never from the holder's timestamps, so clock skew
 * between replicas does not matter. Every write is a compare-and-swap on the resourceVersion.
 */
export function createLeaseElector(client: LeaseClient, options: LeaseElectorOptions) {
  const now = options.now ?? Date.now;
  let observed: LeaseRecord | undefined;
  let observedAt = 0;

  const ownRecord = (base: LeaseRecord | undefined, at: number): LeaseRecord => {
    const renewing = base?.holderIdentity === options.identity;
    const record: LeaseRecord = {
      holderIdentity: options.identity,
      leaseDurationSeconds: Math.ceil(options.leaseDurationMs / 1000),
      acquireTime: renewing && base?.acquireTime ? base.acquireTime : microTime(at),
      renewTime: microTime(at),
      leaseTransitions: renewing ? (base?.leaseTransitions ?? 0) : (base?.leaseTransitions ?? -1) + 1,
    };
    if (base?.resourceVersion) record.resourceVersion = base.resourceVersion;
    return record;
  };

  return {
    /** True when we hold the Lease after this step. */
    async tryAcquireOrRenew(): Promise<boolean> {
      const at = now();
      const current = await client.read(options.namespace, options.name);
      if (!current) {
        const created = await client.create(options.namespace, options.name, ownRecord(undefined, at));
        if (created === 'exists') return false;
        [observed, observedAt] = [created, at];
        return true;
      }
      if (current.resourceVersion !== observed?.resourceVersion) [observed, observedAt] = [current, at];
      const holder = current.holderIdentity ?? '';
      const durationMs = (current.leaseDurationSeconds ?? Math.ceil(options.leaseDurationMs / 1000)) * 1000;
      if (holder !== '' && holder !== options.identity && at < observedAt + durationMs) return false;
      const stored = await client.replace(options.namespace, options.name, ownRecord(current, at));
      if (stored === 'conflict') return false;
      [observed, observedAt] = [stored, at];
      return true;
    },
    /** The holder we last saw (undefined before the first read). */
    observedHolder: (): string | undefined => observed?.holderIdentity,
    /**
     * Gives the Lease up so a follower takes over at its next try instead of waiting for expiry:
     * an empty holder and a one-second duration, as client-go's ReleaseOnCancel writes.
     */
    async release(): Promise<void> {
      const current = await client.read(options.namespace, options.name);
      if (!current || current.holderIdentity !== options.identity) return;
      const at = microTime(now());
      const record: LeaseRecord = {
        leaseDurationSeconds: 1,
        acquireTime: at,
        renewTime: at,
        leaseTransitions: current.leaseTransitions ?? 0,
      };
      if (current.resourceVersion) record.resourceVersion = current.resourceVersion;
      await client.replace(options.namespace, options.name, record);
    },
  };
}

const shuttingDown = 'shutting down';

export interface LeaderCallbacks {
  /** Called once leadership starts; start the background writers. */
  onStartedLeading(): void;
  /** Called once leadership ends (lost, or stopping); must stop every write before it resolves. */
  onStoppedLeading(): Promise<void>;
}

export interface RunningElection {
  isLeader(): boolean;
  /** Stops trying; a leader stops its writers first, then releases the Lease. */
  stop(): Promise<void>;
}

/**
 * Runs election until stopped: every retry period, renew (leader) or try to acquire (follower,
 * jittered so followers do not all knock at once). A leader steps down as soon as it sees another
 * holder, or when it could not renew within the renew deadline, which is shorter than the lease
 * duration: it has stopped writing before anyone else may start.
 */
export function startLeaseElection(
  client: LeaseClient,
  options: LeaseElectorOptions & { logger: Logger },
  callbacks: LeaderCallbacks,
): RunningElection {
  const now = options.now ?? Date.now;
  const elector = createLeaseElector(client, options);
  const log = options.logger.child({ lease: `${options.namespace}/${options.name}`, identity: options.identity });
  let leading = false;
  let lastRenewal = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function stepDown(reason: string): Promise<void> {
    if (!leading) return;
    leading = false;
    if (reason === shuttingDown) log.info({ reason }, 'stopped leading');
    else log.warn({ reason }, 'stopped leading');
    await callbacks.onStoppedLeading();
  }

  async function step(): Promise<void> {
    let holds = false;
    try {
      holds = await elector.tryAcquireOrRenew();
    } catch (err) {
      log.warn({ error: describeApiError(err) }, 'lease election: API call failed');
    }
    if (stopped) {
      // Acquired while stopping: hand it straight back rather than leave it to expire.
      if (holds && !leading) await elector.release().catch(() => undefined);
      return;
    }
    if (holds) {
      lastRenewal = now();
      if (!leading) {
        leading = true;
        log.info('started leading');
        callbacks.onStartedLeading();
      }
      return;
    }
    const holder = elector.observedHolder();
    if (leading && holder !== undefined && holder !== '' && holder !== options.identity) await stepDown(`lease taken by ${holder}`);
    else if (leading && now() - lastRenewal >= options.renewDeadlineMs) await stepDown('could not renew the lease in time');
  }

  function schedule(): void {
    if (stopped) return;
    const delay = leading ? options.retryPeriodMs : Math.round(options.retryPeriodMs * (1 + Math.random() * 0.2));
    timer = setTimeout(() => {
      running = step().finally(schedule);
    }, delay);
    timer.unref();
  }

  running = step().finally(schedule);
  return {
    isLeader: () => leading,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      const handOver = async (): Promise<void> => {
        await running.catch(() => undefined);
        if (!leading) return;
        await stepDown(shuttingDown);
        try {
          await elector.release();
          log.info('released the lease');
        } catch (err) {
          log.warn({ error: describeApiError(err) }, 'could not release the lease; it expires by itself');
        }
      };
      const timeoutMs = options.stopTimeoutMs ?? 1_000;
      if ((await settleWithin(handOver(), timeoutMs)) === 'timeout') {
        leading = false;
        log.warn({ timeoutMs }, 'the API server did not answer in time; the lease expires by itself');
      }
    },
  };
}
