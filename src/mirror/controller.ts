import type { KubeApi } from '../kube/kubeApi.js';
import type { Logger } from 'pino';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { isMirrorOf } from './mirrorSecret.js';
import { planMirrors, type MirrorConflict } from './plan.js';
import type { MirrorMetrics } from './metrics.js';
import { backoffDelay } from '../kube/backoff.js';
import type { BackgroundWriter } from '../kube/leadership.js';
import { mirrorInputs } from './resources.js';
import { mirrorWriter, type WriteOutcome } from './writer.js';
import { startResilientInformer, type InformerOptions } from '../kube/resilientInformer.js';

export interface MirrorControllerOptions {
  /** The injector's namespace: where cluster credentials live. */
  namespace: string;
  /** Full reconcile this often, also retrying denied deletes and conflicts found by a failed create. */
  resyncMs: number;
  /** Events closer together than this make one reconcile. */
  debounceMs?: number;
  logger: Logger;
  metrics: MirrorMetrics;
  informer?: Omit<InformerOptions, 'logger'>;
  /** The webhook's credential cache: a namespaced credential of a mirror's name wins over it. */
  credentials: CredentialLookup;
  /** The digest key every replica shares (server/digestKey): the mirror hash is keyed with it. */
  digestKey: Buffer;
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Mirrors cluster credentials into the namespaces their selector picks, as a background writer of
 * the elected replica (kube/leadership): followers hold no informer and write nothing. Every
 * informer event schedules a (debounced) reconcile: plan from the caches, then write. Failures are
 * retried with backoff; denied deletes (a mirror still in use, refused by our own webhook) wait
 * for the resync, and are never forced.
 */
export function mirrorBackgroundWriter(api: KubeApi, options: MirrorControllerOptions): BackgroundWriter {
  const log = options.logger.child({ component: 'mirror' });
  return {
    name: 'mirror',
    start() {
      options.metrics.setMirrorLeader(true);
      const mirroring = startMirroring(api, options, log);
      return {
        async stop() {
          await mirroring.stop();
          options.metrics.setMirrorLeader(false);
        },
      };
    },
  };
}

function startMirroring(api: KubeApi, options: MirrorControllerOptions, log: Logger): { stop(): Promise<void> } {
  const injectorNamespace = options.namespace;
  const debounceMs = options.debounceMs ?? 200;
  const writer = mirrorWriter(api, injectorNamespace, options.digestKey);
  // Names where a create met a Secret that is not ours (one without the type label is not in the
  // webhook's cache); forgotten at every resync so a removed one is noticed.
  const learnedForeign = new Set<string>();
  let reportedConflicts = new Set<string>();
  let reportedSkips = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let failures = 0;

  const trigger = (delayMs = debounceMs): void => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = reconcile()
        .catch((err: unknown) => log.error({ error: err instanceof Error ? err.message : String(err) }, 'mirror reconcile failed'))
        .finally(() => {
          inFlight = undefined;
          if (again) {
            again = false;
            trigger();
          }
        });
    }, delayMs);
    timer.unref();
  };

  const inputs = mirrorInputs(api, injectorNamespace, options.digestKey, () => trigger());
  const informerOptions: InformerOptions = { ...options.informer, logger: log };
  const informers = [
    startResilientInformer(api, inputs.sources.resource, informerOptions),
    startResilientInformer(api, inputs.namespaces.resource, informerOptions),
    startResilientInformer(api, inputs.mirrors.resource, informerOptions),
  ];
  const resync = setInterval(() => {
    learnedForeign.clear();
    trigger(0);
  }, options.resyncMs);
  resync.unref();
  log.info({ namespace: injectorNamespace }, 'mirroring cluster credentials');

  function isForeign(namespace: string, name: string): boolean {
    if (learnedForeign.has(key(namespace, name))) return true;
    const credential = options.credentials.get(namespace, name);
    return credential !== undefined && !isMirrorOf(credential, injectorNamespace);
  }

  function report(conflicts: MirrorConflict[], skipped: { name: string; problems: string[] }[]): void {
    const conflictKeys = new Set(conflicts.map((c) => key(c.namespace, c.name)));
    for (const conflict of conflicts) {
      if (reportedConflicts.has(key(conflict.namespace, conflict.name))) continue;
      log.warn(
        { namespace: conflict.namespace, name: conflict.name, reason: conflict.reason },
        'not mirrored: a Secret of that name that is not this mirror is in the way (it wins)',
      );
    }
    reportedConflicts = conflictKeys;
    options.metrics.setMirrorConflicts(conflicts.length);
    const skipKeys = new Set(skipped.map((s) => `${s.name}:${s.problems.join(',')}`));
    for (const skip of skipped) {
      if (!reportedSkips.has(`${skip.name}:${skip.problems.join(',')}`)) {
        log.warn({ name: skip.name, problems: skip.problems }, 'cluster credential is invalid: not mirrored, existing mirrors kept');
      }
    }
    reportedSkips = skipKeys;
  }

  function record(outcome: WriteOutcome): void {
    const { action, result, detail } = outcome;
    options.metrics.countMirrorWrite(action.operation, result);
    const fields = { operation: action.operation, namespace: action.namespace, name: action.name, result, ...(detail ? { detail } : {}) };
    if (result === 'ok') log.info(fields, 'mirror written');
    else if (result === 'denied') log.warn(fields, 'mirror write refused by admission; retried at the next resync');
    else if (result === 'error') log.warn(fields, 'mirror write failed; retrying');
    else log.debug(fields, 'mirror write skipped');
    if (result === 'foreign') learnedForeign.add(key(action.namespace, action.name));
  }

  async function reconcile(): Promise<void> {
    if (!informers.every((informer) => informer.synced())) {
      trigger(debounceMs); // lists that come back empty make no event
      return;
    }
    const plan = planMirrors({
      injectorNamespace,
      sources: inputs.sources.values(),
      namespaces: inputs.namespaces.values(),
      mirrors: inputs.mirrors.values(),
      isForeign,
    });
    const outcomes = await writer.run(plan.actions, () => !stopped);
    outcomes.forEach(record);
    const conflicts = [
      ...plan.conflicts,
      ...outcomes.filter((o) => o.result === 'foreign').map((o) => ({ namespace: o.action.namespace, name: o.action.name, reason: 'foreign-secret' as const })),
    ];
    report(conflicts, plan.skipped);
    if (outcomes.some((o) => o.result === 'error' || o.result === 'stale')) trigger(backoffDelay(failures++, { initialMs: 500, maxMs: options.resyncMs }));
    else failures = 0;
  }

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(resync);
      await inFlight;
      await Promise.all(informers.map((informer) => informer.stop()));
      log.info('stopped mirroring');
    },
  };
}
