/**
 * Namespace opt-in and namespace policy against a real kube-apiserver: a namespace labelled
 * credinject.dev/injection=enabled sends every Pod to the webhooks, where its ServiceAccount's
 * request annotations are merged in; other namespaces send only annotated objects, which the
 * server's request counter proves. The ServiceAccounts reach the server through its informer, so
 * every check polls with a deadline.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import { containerOf, createExampleCredentials, createTestNamespace, envNames, podRequesting, waitForCredentialsCached } from './harness/kube.js';
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
});
