/**
 * The webhook server is down: what the shipped failure policies, matchConditions and guard make the
 * API server do. Opted-in Pods fail closed (failurePolicy Fail, as shipped); once the policies say
 * Ignore the guard (a ValidatingAdmissionPolicy) still denies them, and only without the guard are
 * they admitted uninjected. Pods and Secrets that are not ours never reach us, so they are admitted
 * either way (a down injector must not stop the cluster). Then the server comes back.
 */
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import {
  apiErrorOf,
  containerOf,
  expectApiError,
  isNotFound,
  namespaceWithCredentials,
  podRequesting,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';
import { startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { deniedByGuard, registerGuard } from './harness/guard.js';
import { registerWebhooks, setMutatingFailurePolicy, setValidatingFailurePolicy } from './harness/webhooks.js';

announceSkip('failurePolicy');

describe.skipIf(skipE2E)('failure policies with the webhook server down', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let namespace: string;
  let exitCode: number | null;
  let restarted: CredinjectServer | undefined;

  afterAll(async () => {
    await restarted?.stop();
  }, 60_000);

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'down', ['aws-s3']);
    // Control: while the server is up, the same Pod is injected.
    const injected = await core.createNamespacedPod({ namespace, dryRun: 'All', body: podRequesting('control', 'aws-s3') });
    expect(injected.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
    exitCode = await suite.server.stop();
  }, 180_000);

  /** Creates the Pod until the API server answers as `accept` says (configuration changes propagate). */
  type Outcome = { pod?: V1Pod; error?: string };
  async function createWhen(body: V1Pod, accept: (outcome: Outcome) => boolean): Promise<Outcome> {
    let admittedTooEarly = false;
    return pollUntil(
      `the API server to answer the create of Pod ${body.metadata?.name} as expected`,
      async () => {
        const outcome = await core.createNamespacedPod({ namespace, body }).then(
          (pod): Outcome => ({ pod }),
          (err: unknown): Outcome => {
            const apiError = apiErrorOf(err);
            if (!apiError) throw err;
            return { error: apiError.message };
          },
        );
        if (accept(outcome)) return outcome;
        if (outcome.pod) admittedTooEarly = true;
        throw new Error(outcome.error ?? 'admitted');
      },
      30_000,
      () => {
        if (admittedTooEarly) throw new Error(`Pod ${body.metadata?.name} was admitted, which is not the awaited answer`);
      },
    );
  }

  it('stopped cleanly on SIGTERM', () => {
    expect(exitCode).toBe(0);
  });

  it('rejects an opted-in Pod while failurePolicy is Fail (as shipped)', async () => {
    const err = await expectApiError(core.createNamespacedPod({ namespace, body: podRequesting('fail-closed', 'aws-s3') }));
    expect(err.message).toContain('failed calling webhook "pods.mutate.credinject.dev"');
    await expect(core.readNamespacedPod({ name: 'fail-closed', namespace })).rejects.toSatisfy(isNotFound);
  });

  it('admits a Pod without the annotation while failurePolicy is Fail: matchConditions keep it from us', async () => {
    const pod = await core.createNamespacedPod({ namespace, body: podRequesting('plain-under-fail', undefined) });
    expect(pod.metadata?.annotations?.['credinject.dev/status']).toBeUndefined();
  });

  it('admits a Secret that is not a credential while failurePolicy is Fail: objectSelector keeps it from us', async () => {
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'not-a-credential' }, stringData: { k: 'v' } } });
    await core.deleteNamespacedSecret({ name: 'not-a-credential', namespace });
  });

  it('denies an opted-in Pod by the guard once the Pod webhook fails open (failurePolicy Ignore)', async () => {
    // The ValidatingAdmissionPolicy runs in the API server, before the validating webhooks: the
    // Pod is refused with its message, not with workloads.validate's connection error.
    await setMutatingFailurePolicy(suite.cp.kubeConfig, 'credinject', 'Ignore', ['pods.mutate.credinject.dev']);
    const denied = await createWhen(podRequesting('fail-open', 'aws-s3'), ({ error }) => deniedByGuard(error, suite.guard));
    expect(denied.error).toContain('credential injector did not run for Pod fail-open');
    expect(denied.error).toContain('kubectl get pods,endpoints -A -l app.kubernetes.io/name=credinject');

    await setValidatingFailurePolicy(suite.cp.kubeConfig, 'credinject', 'Ignore', ['workloads.validate.credinject.dev']);
    const err = await expectApiError(core.createNamespacedPod({ namespace, body: podRequesting('fail-open', 'aws-s3') }));
    expect(deniedByGuard(err.message, suite.guard)).toBe(true);
    await expect(core.readNamespacedPod({ name: 'fail-open', namespace })).rejects.toSatisfy(isNotFound);
  });

  it('admits an opted-in Pod uninjected when the guard is turned off and every Pod webhook fails open', async () => {
    await suite.guard.remove();
    await createWhen(podRequesting('unguarded', 'aws-s3'), ({ pod }) => pod !== undefined);
    const stored = await core.readNamespacedPod({ name: 'unguarded', namespace });
    expect(stored.metadata?.annotations).toEqual({ 'credinject.dev/inject': 'aws-s3' });
    expect(containerOf(stored, 'app').env).toBeUndefined();
    expect(stored.spec?.volumes?.some((v) => v.name.startsWith('credinject-'))).toBe(false);
  });

  it('admits a Pod without the annotation while failurePolicy is Ignore', async () => {
    const pod = await core.createNamespacedPod({ namespace, body: podRequesting('plain-under-ignore', undefined) });
    expect(pod.metadata?.name).toBe('plain-under-ignore');
  });

  it('admits the opted-in Pod, injected, once the server is back', async () => {
    // Guard first: its probe must reach the policy while no webhook answers.
    const guard = await registerGuard(suite.cp.kubeConfig, namespace);
    const err = await expectApiError(core.createNamespacedPod({ namespace, body: podRequesting('back', 'aws-s3') }));
    expect(deniedByGuard(err.message, guard)).toBe(true);

    restarted = await startCredinjectServer(suite.cp, { logName: 'credinject-restarted' });
    await registerWebhooks(suite.cp.kubeConfig, { url: restarted.url, caPem: restarted.caPem! }, { probeNamespace: namespace });
    const pod = await core.createNamespacedPod({ namespace, body: podRequesting('back', 'aws-s3') });
    expect(pod.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
    expect(containerOf(pod, 'app').env?.map((e) => e.name)).toContain('AWS_ACCESS_KEY_ID');
  });
});
