/**
 * Namespace opt-in and namespace policy against a real kube-apiserver: a namespace labelled
 * credinject.dev/injection=enabled sends every Pod to the webhooks, where its ServiceAccount's
 * request annotations are merged in; other namespaces send only annotated objects, which the
 * server's request counter proves. The ServiceAccounts reach the server through its informer, so
 * every check polls with a deadline.
 */
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import { apiErrorOf, containerOf, createExampleCredentials, createTestNamespace, envNames, expectApiError, namespaceWithCredentials, podRequesting, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('namespaces');

/** The sum of every series of credinject_admission_requests_total: every review the server answered. */
function admissionRequests(metrics: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const match = /^credinject_admission_requests_total\{[^}]*\} (\d+(?:\.\d+)?)$/.exec(line);
    if (match) total += Number(match[1]);
  }
  return total;
}

describe.skipIf(skipE2E)('namespace opt-in and ServiceAccounts through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let optedIn: string;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    optedIn = await createTestNamespace(suite.cp, 'optin');
    await core.patchNamespace({ name: optedIn, body: [{ op: 'add', path: '/metadata/labels/credinject.dev~1injection', value: 'enabled' }] });
    await createExampleCredentials(suite.cp.kubeConfig, optedIn, ['aws-s3', 'hf-token']);
    await waitForCredentialsCached(suite.cp.kubeConfig, optedIn, ['aws-s3', 'hf-token']);
  }, 180_000);

  it('never sends a Pod of an unlabelled namespace without annotations to the webhooks: the request count stays', async () => {
    const plain = await createTestNamespace(suite.cp, 'plain');
    const before = admissionRequests(await suite.server.metrics());
    await core.createNamespacedPod({ namespace: plain, body: podRequesting('unseen', undefined) });
    expect(admissionRequests(await suite.server.metrics())).toBe(before);
    expect(suite.server.logRecords().some((r) => r.namespace === plain)).toBe(false);

    // Control: the same Pod in the labelled namespace is sent (mutation, then validation).
    await core.createNamespacedPod({ namespace: optedIn, body: podRequesting('seen', undefined) });
    expect(admissionRequests(await suite.server.metrics())).toBeGreaterThanOrEqual(before + 2);
  });

  it('injects a Pod without annotations in a labelled namespace with what its ServiceAccount asks for', async () => {
    await core.createNamespacedServiceAccount({
      namespace: optedIn,
      body: { metadata: { name: 'trainer', annotations: { 'credinject.dev/inject': 'aws-s3' } } },
    });
    const body = { ...podRequesting('as-trainer', undefined), spec: { ...podRequesting('as-trainer', undefined).spec!, serviceAccountName: 'trainer' } };
    await pollUntil(
      'the server to know the annotated ServiceAccount',
      async () => {
        const dry = await core.createNamespacedPod({ namespace: optedIn, body, dryRun: 'All' });
        return dry.metadata?.annotations?.['credinject.dev/status'] === 'injected' ? true : undefined;
      },
      20_000,
    );
    const pod = await core.createNamespacedPod({ namespace: optedIn, body });
    expect(pod.metadata?.annotations).toMatchObject({
      'credinject.dev/inject': 'aws-s3',
      'credinject.dev/status': 'injected',
      'credinject.dev/injected': 'aws-s3',
    });
    expect(envNames(containerOf(pod, 'app'))).toContain('AWS_ACCESS_KEY_ID');

    // The Pod's own annotation wins over the ServiceAccount's.
    const own = await core.createNamespacedPod({
      namespace: optedIn,
      body: { ...body, metadata: { name: 'own-choice', annotations: { 'credinject.dev/inject': 'hf-token' } } },
    });
    expect(own.metadata?.annotations?.['credinject.dev/injected']).toBe('hf-token');
    expect(envNames(containerOf(own, 'app'))).not.toContain('AWS_ACCESS_KEY_ID');
  });

  it('protects a credential a ServiceAccount gives its Pods, naming the ServiceAccount', async () => {
    await core.createNamespacedServiceAccount({ namespace: optedIn, body: { metadata: { name: 'reader', annotations: { 'credinject.dev/inject': 'hf-token' } } } });
    await pollUntil(
      'the deletion of hf-token to be refused naming the ServiceAccount',
      async () => {
        const message = await core.deleteNamespacedSecret({ name: 'hf-token', namespace: optedIn, dryRun: 'All' }).then(
          () => '',
          (err: unknown) => String((err as { body?: unknown }).body ?? ''),
        );
        return message.includes('ServiceAccount/reader') ? true : undefined;
      },
      20_000,
    );
  });

  describe('namespace policy', () => {
    let apps: AppsV1Api;
    let governed: string;

    /** Polls a dry-run create until the server (through its Namespace informer) denies it with `text`. */
    async function waitForDenial(create: () => Promise<unknown>, text: string): Promise<void> {
      await pollUntil(
        `a denial containing ${text}`,
        async () => {
          const err = await create().then(() => undefined, apiErrorOf);
          return err?.message.includes(text) ? true : undefined;
        },
        20_000,
      );
    }

    const deployment = (name: string, container: Record<string, unknown>): V1Deployment => ({
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1', ...container }] } },
      },
    });

    beforeAll(async () => {
      apps = suite.cp.kubeConfig.makeApiClient(AppsV1Api);
      governed = await namespaceWithCredentials(suite.cp, 'policy', ['aws-s3', 'hf-token']);
      await core.patchNamespace({
        name: governed,
        body: [
          { op: 'add', path: '/metadata/annotations', value: { 'credinject.dev/allowed-types': 'huggingface', 'credinject.dev/require-injection': 'true' } },
        ],
      });
    }, 60_000);

    it('allowed-types denies a credential of another type, naming the type and the policy', async () => {
      await waitForDenial(
        () => core.createNamespacedPod({ namespace: governed, body: podRequesting('wants-aws', 'aws-s3'), dryRun: 'All' }),
        'which namespace',
      );
      const err = await expectApiError(core.createNamespacedPod({ namespace: governed, body: podRequesting('wants-aws', 'aws-s3') }));
      expect(err.message).toContain('admission webhook "workloads.validate.credinject.dev" denied the request:');
      expect(err.message).toContain(`credential "aws-s3" has type aws, which namespace "${governed}" does not allow (credinject.dev/allowed-types: "huggingface")`);
      const allowed = await core.createNamespacedPod({ namespace: governed, body: podRequesting('wants-hf', 'hf-token') });
      expect(allowed.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
    });

    it('require-injection denies a workload that references a credential by hand, naming the field path', async () => {
      const byHand = deployment('by-hand', { envFrom: [{ secretRef: { name: 'hf-token' } }] });
      await waitForDenial(() => apps.createNamespacedDeployment({ namespace: governed, body: byHand, dryRun: 'All' }), 'requires credentials');
      const err = await expectApiError(apps.createNamespacedDeployment({ namespace: governed, body: byHand }));
      expect(err.message).toContain('admission webhook "references.validate.credinject.dev" denied the request:');
      expect(err.message).toContain(
        `namespace "${governed}" requires credentials through credinject.dev/inject (credinject.dev/require-injection: "true"): ` +
          'spec.template.spec.containers[0].envFrom[0].secretRef references credential "hf-token" directly',
      );

      // A Secret that is not a credential may still be referenced by hand.
      await core.createNamespacedSecret({ namespace: governed, body: { metadata: { name: 'app-config' }, stringData: { k: 'v' } } });
      await apps.createNamespacedDeployment({ namespace: governed, body: deployment('plain-secret', { envFrom: [{ secretRef: { name: 'app-config' } }] }) });
    });
  });
});
