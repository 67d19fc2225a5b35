import type { KubeApi } from '../kube/kubeApi.js';
import type { Logger } from 'pino';
import type { CredentialInfo, CredentialLookup } from '../credentials/credentialInfo.js';
import { consumptionOf } from '../engine/consumption.js';
import type { ServiceAccountLookup } from '../engine/serviceAccountRequest.js';
import { backoffDelay } from '../kube/backoff.js';
import { describeApiError } from '../kube/describeApiError.js';
import type { EventRecorder } from '../kube/eventRecorder.js';
import type { BackgroundWriter } from '../kube/leadership.js';
import { startResilientInformer, type InformerOptions } from '../kube/resilientInformer.js';
import { createTokenBucket } from '../kube/tokenBucket.js';
import type { RotationMetrics } from './metrics.js';
import { heldEvent, rotatedEvent } from './notices.js';
import { planRotation, type RotationAction, type RotationCredential } from './plan.js';
import { changedKeys, emptyQuietState, isSettled, observe, rebase, type QuietState } from './quietPeriod.js';
import { rotationInputs, type RotationInputs } from './resources.js';
import { kubeRestartPatcher, type RestartPatcher } from './writer.js';
import { parseVersions } from '../engine/consumption.js';

export interface RotationControllerOptions {
  /** A credential must be unchanged this long before its consumers restart (one rollout per rotation). */
  quietPeriodMs: number;
  /** Client-side rate limit of restart patches (client-go's defaults: 5 and 10). */
  qps: number;
  burst: number;
  defaultAction: RotationAction;
  /** The webhook's credential cache (with keyed digests): what rotation compares. */
  credentials: CredentialLookup & { list(): CredentialInfo[] };
  /**
   * The view's ServiceAccounts: a workload's pods also take what their ServiceAccount asks for. Its
   * revision grows with every change of a request, which makes the controller plan again.
   */
  serviceAccounts?: ServiceAccountLookup & { revision(): number };
  events?: EventRecorder;
  metrics: RotationMetrics;
  logger: Logger;
  informer?: Omit<InformerOptions, 'logger'>;
  /** How often the credential cache is compared with the last look (1 s). */
  pollMs?: number;
  /** Tests: another patcher. */
  patcher?: RestartPatcher;
}

const id = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Restarts the Deployments, StatefulSets and DaemonSets whose pods run an older version of a
 * credential key they take as env, as a background writer of the elected replica. The decision is
 * the pure planner's; this shell feeds it (informers on workloads, ReplicaSets and Pods; the view's
 * credential cache polled for digest changes), keeps the quiet period, writes rate-limited patches,
 * records Events and metrics, and retries failures with backoff.
 */
export function rotationBackgroundWriter(api: KubeApi, options: RotationControllerOptions): BackgroundWriter {
  return { name: 'rotation', start: () => startRotating(api, options) };
}

function startRotating(api: KubeApi, options: RotationControllerOptions): { stop(): Promise<void> } {
  const log = options.logger.child({ component: 'rotation' });
  const patch = options.patcher ?? kubeRestartPatcher(api);
  const bucket = createTokenBucket({ qps: options.qps, burst: options.burst });
  let quiet: QuietState = emptyQuietState;
  let settledBefore = new Set<string>();
  let reportedHeld = new Set<string>();
  let dirty = true;
  let stopped = false;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  let retryAt = 0;
  let serviceAccountsSeen: number | undefined;

  const inputs: RotationInputs = rotationInputs(api, () => {
    dirty = true;
  });
  const informerOptions: InformerOptions = { ...options.informer, logger: log };
  const informers = inputs.resources().map((resource) => startResilientInformer(api, resource, informerOptions));

  function look(now: number): RotationCredential[] {
    const withDigests = options.credentials.list().filter((info) => info.digests !== undefined);
    const before = quiet;
    quiet = observe(quiet, withDigests.map((info) => ({ id: id(info.namespace, info.name), digests: info.digests! })), now);
    const settled = new Set<string>();
    const credentials = withDigests.map((info): RotationCredential => {
      const observed = quiet.get(id(info.namespace, info.name))!;
      const isQuiet = isSettled(observed, now, options.quietPeriodMs);
      if (isQuiet) settled.add(id(info.namespace, info.name));
      const credential: RotationCredential = {
        namespace: info.namespace,
        name: info.name,
        digests: info.digests!,
        problems: info.problems.map((problem) => problem.rule),
        settled: isQuiet,
        changedKeys: changedKeys(observed),
      };
      return credential;
    });
    // A change or a credential settling is a reason to plan again; an unchanged cache is not.
    if ([...quiet].some(([key, value]) => before.get(key) !== value) || before.size !== quiet.size) dirty = true;
    if ([...settled].some((key) => !settledBefore.has(key))) dirty = true;
    settledBefore = settled;
    const serviceAccountsNow = options.serviceAccounts?.revision();
    if (serviceAccountsNow !== serviceAccountsSeen) dirty = true;
    serviceAccountsSeen = serviceAccountsNow;
    options.metrics.setTrackedCredentials(settled.size, credentials.length - settled.size);
    return credentials;
  }

  async function reconcile(credentials: RotationCredential[]): Promise<void> {
    const lookup = options.credentials;
    const plan = planRotation({
      credentials,
      workloads: [...inputs.workloads.values()].flatMap((map) =>
        map.values().map((w) => ({ ...w, consumption: consumptionOf(w.source, w.namespace, lookup, options.serviceAccounts) })),
      ),
      pods: inputs.pods.values().map((p) => ({ ...p, consumption: consumptionOf(p.source, p.namespace, lookup) })),
      replicaSets: inputs.replicaSets.values(),
      defaultAction: options.defaultAction,
    });
    options.metrics.setStalePods(plan.stale);

    const held = new Set<string>();
    for (const entry of plan.held) {
      const key = `${id(entry.namespace, entry.credential)}@${entry.digest}`;
      held.add(key);
      if (reportedHeld.has(key)) continue;
      options.metrics.countRotationHeld();
      options.events?.record(heldEvent(entry));
      log.warn({ namespace: entry.namespace, credential: entry.credential, rules: entry.rules, workloads: entry.workloads }, 'rotation held: the new data breaks its type’s rules');
    }
    reportedHeld = held;

    const failed = new Set<string>();
    for (const restart of plan.restarts) {
      if (!(await bucket.take(() => stopped))) return;
      const fields = { kind: restart.kind, namespace: restart.namespace, name: restart.name, credentials: restart.reasons.map((r) => r.credential) };
      try {
        const outcome = await patch(restart);
        if (outcome === 'gone') continue;
        // Recorded at once: the next plan must not patch again before the watch brings the change.
        const map = inputs.workloads.get(restart.kind);
        const state = map?.get(restart.namespace, restart.name);
        if (map && state) map.set(restart.namespace, restart.name, { ...state, restartedFor: parseVersions(restart.restartedFor) });
        options.metrics.countRotationRestart(restart.kind, 'ok');
        options.events?.record(rotatedEvent(restart));
        log.info({ ...fields, keys: restart.reasons.flatMap((r) => r.keys) }, 'restarted for a rotated credential');
      } catch (err) {
        options.metrics.countRotationRestart(restart.kind, 'error');
        restart.reasons.forEach((r) => failed.add(id(restart.namespace, r.credential)));
        log.warn({ ...fields, error: describeApiError(err) }, 'restart patch failed; retrying');
      }
    }
    // Acted on: the next change of these credentials is named against what they hold now.
    quiet = rebase(quiet, credentials.filter((c) => c.settled && !failed.has(id(c.namespace, c.name))).map((c) => id(c.namespace, c.name)));
    if (failed.size > 0) retryAt = Date.now() + backoffDelay(failures++, { initialMs: 500, maxMs: 60_000 });
    else failures = 0;
  }

  const tick = setInterval(() => {
    if (stopped || inFlight) return;
    const now = Date.now();
    const credentials = look(now);
    if (retryAt !== 0 && now >= retryAt) {
      retryAt = 0;
      dirty = true;
    }
    if (!dirty || !informers.every((informer) => informer.synced())) return;
    dirty = false;
    inFlight = reconcile(credentials)
      .catch((err: unknown) => log.error({ error: err instanceof Error ? err.message : String(err) }, 'rotation reconcile failed'))
      .finally(() => {
        inFlight = undefined;
      });
  }, options.pollMs ?? 1000);
  tick.unref();
  log.info({ quietPeriodMs: options.quietPeriodMs, qps: options.qps, burst: options.burst, defaultAction: options.defaultAction }, 'restarting workloads on credential rotation');

  return {
    async stop() {
      stopped = true;
      clearInterval(tick);
      await inFlight;
      await Promise.all(informers.map((informer) => informer.stop()));
      log.info('stopped rotation');
    },
  };
}
