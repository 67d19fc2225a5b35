import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeApi } from './kubeApi.js';
import type { Logger } from 'pino';
import { kubeLeaseClient } from './leaseClient.js';
import { startLeaseElection, type LeaseClient, type LeaseElectorOptions, type RunningElection } from './leaseElector.js';

/** The one Lease that elects the replica running every background writer (docs/reference.md, "Objects credinject creates"). */
export const leaderLeaseName = 'credinject-leader';

/** Something that writes to the cluster in the background: started on the leader only, stopped before the Lease goes. */
export interface BackgroundWriter {
  name: string;
  start(): { stop(): Promise<void> };
}

export interface LeadershipOptions {
  /** The injector's namespace, where the Lease is kept. */
  namespace: string;
  /** Lease holder name (POD_NAME); a random suffix is added so two processes never share one. */
  identity?: string;
  lease?: Partial<Pick<LeaseElectorOptions, 'leaseDurationMs' | 'retryPeriodMs' | 'renewDeadlineMs'>>;
  logger: Logger;
  /** Tests: another Lease store. */
  leaseClient?: LeaseClient;
}

/**
 * One election for every background writer (mirroring, rotation): one leader writes, followers
 * only keep trying for the Lease. The writers start together when leading starts and are all
 * stopped, every write finished, before leading ends, so two replicas never write at once.
 */
export function startLeadership(api: KubeApi, options: LeadershipOptions, writers: readonly BackgroundWriter[]): RunningElection {
  const identity = `${options.identity ?? hostname()}_${randomUUID().slice(0, 8)}`;
  const log = options.logger.child({ component: 'leadership' });
  let running: { name: string; stop(): Promise<void> }[] = [];
  // Whatever Lease call is still pending once stop() gave up waiting is aborted, so it does not
  // keep the process alive after SIGTERM.
  const calls = new AbortController();
  const election = startLeaseElection(
    options.leaseClient ?? kubeLeaseClient(api, calls.signal),
    {
      namespace: options.namespace,
      name: leaderLeaseName,
      identity,
      leaseDurationMs: options.lease?.leaseDurationMs ?? 15_000,
      retryPeriodMs: options.lease?.retryPeriodMs ?? 5_000,
      renewDeadlineMs: options.lease?.renewDeadlineMs ?? 10_000,
      logger: log,
    },
    {
      onStartedLeading() {
        running = writers.map((writer) => ({ name: writer.name, ...writer.start() }));
        log.info({ writers: writers.map((writer) => writer.name) }, 'started the background writers');
      },
      async onStoppedLeading() {
        const stopping = running;
        running = [];
        await Promise.all(stopping.map((writer) => writer.stop()));
      },
    },
  );
  return {
    isLeader: () => election.isLeader(),
    async stop() {
      await election.stop();
      calls.abort(new Error('leadership stopped'));
    },
  };
}
