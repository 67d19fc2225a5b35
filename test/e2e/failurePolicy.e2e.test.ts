/**
 * The webhook server is down: what the shipped failure policies and matchConditions make the API
 * server do. Opted-in Pods fail closed (failurePolicy Fail, as shipped) and are admitted uninjected
 * once the policies say Ignore; Pods and Secrets that are not ours never reach us, so they are
 * admitted either way (a down injector must not stop the cluster).
 */
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import {
  apiErrorOf,
  containerOf,
  createExampleCredentials,
  createTestNamespace,
  expectApiError,
  isNotFound,
  podRequesting,
  waitForCredentialsCached,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';
import { setMutatingFailurePolicy, setValidatingFailurePolicy } from './harness/webhooks.js';

announceSkip('failurePolicy');

describe.skipIf(skipE2E)('failure policies with the webhook server down', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let namespace: string;
  let exitCode: number | null;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(suite.cp, 'down');
    await createExampleCredentials(suite.cp.kubeConfig, namespace, ['aws-s3']);
    await waitForCredentialsCached(suite.cp.kubeConfig, namespace, ['aws-s3']);
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

  it('admits an opted-in Pod uninjected once the Pod webhooks fail open (failurePolicy Ignore)', async () => {
    // Mutation failing open is not enough: workloads.validate (reference check) also fails closed.
    await setMutatingFailurePolicy(suite.cp.kubeConfig, 'credinject', 'Ignore', ['pods.mutate.credinject.dev']);
    const stillRejected = await createWhen(podRequesting('fail-open', 'aws-s3'), ({ error }) =>
      Boolean(error?.includes('failed calling webhook "workloads.validate.credinject.dev"')),
    );
    expect(stillRejected.error).not.toContain('pods.mutate.credinject.dev');

    await setValidatingFailurePolicy(suite.cp.kubeConfig, 'credinject', 'Ignore', ['workloads.validate.credinject.dev']);
    await createWhen(podRequesting('fail-open', 'aws-s3'), ({ pod }) => pod !== undefined);
    const stored = await core.readNamespacedPod({ name: 'fail-open', namespace });
    expect(stored.metadata?.annotations).toEqual({ 'credinject.dev/inject': 'aws-s3' });
    expect(containerOf(stored, 'app').env).toBeUndefined();
    expect(stored.spec?.volumes?.some((v) => v.name.startsWith('credinject-'))).toBe(false);
  });

  it('admits a Pod without the annotation while failurePolicy is Ignore', async () => {
    const pod = await core.createNamespacedPod({ namespace, body: podRequesting('plain-under-ignore', undefined) });
    expect(pod.metadata?.name).toBe('plain-under-ignore');
  });
});
