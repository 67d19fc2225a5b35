/**
 * Reinvocation (`reinvocationPolicy: IfNeeded`) with a second mutating webhook ordered after ours:
 * the API server calls webhooks in the order of their configurations' names ("credinject" <
 * "zz-e2e-second"), and calls ours once more when a later webhook changed the Pod. The second call
 * must add nothing twice, and must inject into what the later webhook added (ADMISSION-NOTES:
 * decide per item, keep the status annotation informational).
 */
import { AdmissionregistrationV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import {
  containerOf,
  duplicates,
  envNames,
  namespaceWithCredentials,
  podRequesting,
} from './harness/kube.js';
import { startSecondWebhook, type JsonPatchOperation, type SecondWebhook } from './harness/secondWebhook.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('reinvocation');

const SECOND_CONFIG = 'zz-e2e-second';
const ADDED_CONTAINER = 'added-by-second';
const SEEN_LABEL = 'e2e-second-webhook';
const CREDENTIALS = ['aws-s3', 'gcp-sa', 'git-ssh', 'prod-cluster'];

/** What the second webhook does, idempotently: a label, FROM_SECOND=1 in the first container, a new container. */
function secondWebhookPatch(pod: V1Pod): JsonPatchOperation[] {
  const ops: JsonPatchOperation[] = [];
  if (!pod.metadata?.labels) ops.push({ op: 'add', path: '/metadata/labels', value: { [SEEN_LABEL]: 'seen' } });
  else if (!pod.metadata.labels[SEEN_LABEL]) ops.push({ op: 'add', path: `/metadata/labels/${SEEN_LABEL}`, value: 'seen' });
  const first = pod.spec?.containers[0];
  if (first && !first.env) ops.push({ op: 'add', path: '/spec/containers/0/env', value: [{ name: 'FROM_SECOND', value: '1' }] });
  else if (first && !first.env?.some((e) => e.name === 'FROM_SECOND')) {
    ops.push({ op: 'add', path: '/spec/containers/0/env/-', value: { name: 'FROM_SECOND', value: '1' } });
  }
  if (!pod.spec?.containers.some((c) => c.name === ADDED_CONTAINER)) {
    ops.push({ op: 'add', path: '/spec/containers/-', value: { name: ADDED_CONTAINER, image: 'registry.example.com/added:1' } });
  }
  return ops;
}

describe.skipIf(skipE2E)('reinvocation after a later webhook changes the Pod', () => {
  const suite = useSuite({ server: { logLevel: 'debug' } });
  let core: CoreV1Api;
  let second: SecondWebhook;
  let namespace: string;

  beforeAll(async () => {
    // Debug level: the server then logs every admission, also those answered with an empty patch.
    const kc = suite.cp.kubeConfig;
    core = kc.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'reinvoke', CREDENTIALS);

    second = await startSecondWebhook(secondWebhookPatch);
    await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({
      body: {
        metadata: { name: SECOND_CONFIG },
        webhooks: [
          {
            name: 'second.e2e.credinject.dev',
            admissionReviewVersions: ['v1'],
            sideEffects: 'None',
            failurePolicy: 'Fail',
            reinvocationPolicy: 'IfNeeded',
            timeoutSeconds: 5,
            clientConfig: { url: `${second.url}/mutate`, caBundle: Buffer.from(second.caPem).toString('base64') },
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }],
          },
        ],
      },
    });
    await pollUntil(
      'the second webhook to be called',
      async () => {
        const pod = await core.createNamespacedPod({ namespace, dryRun: 'All', body: podRequesting('probe-second', undefined) });
        return pod.metadata?.labels?.[SEEN_LABEL] === 'seen' ? true : undefined;
      },
      30_000,
    );
  }, 180_000);

  afterAll(async () => {
    await second?.close();
  }, 60_000);

  /** Our mutating webhook's answers for the (non-dry-run) CREATE of Pod `name`, from the server log. */
  function ourCalls(name: string): { result: unknown; patchOperations: unknown }[] {
    return suite.server
      .logRecords()
      .filter((r) => r.msg === 'admission' && r.webhook === 'mutate' && r.kind === 'Pod' && r.name === name && r.dryRun === false)
      .map((r) => ({ result: r.result, patchOperations: r.patchOperations }));
  }

  it('is called again and leaves exactly one copy of every injected env var, volume, mount and sidecar', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('twice', CREDENTIALS.join(', ')) });
    const pod = await core.readNamespacedPod({ name: 'twice', namespace });

    // Both webhooks ran: the label and FROM_SECOND are there, once.
    expect(pod.metadata?.labels?.[SEEN_LABEL]).toBe('seen');
    const app = containerOf(pod, 'app');
    expect(app.env?.filter((e) => e.name === 'FROM_SECOND')).toEqual([{ name: 'FROM_SECOND', value: '1' }]);
    // The API server called us twice: the injection, then the reinvocation (never more than one).
    // The server's log reaches us through a pipe: wait for its lines rather than race them.
    await pollUntil('both answers in the server log', async () => (ourCalls('twice').length >= 2 ? true : undefined), 10_000);
    expect(ourCalls('twice')).toHaveLength(2);
    expect(ourCalls('twice')[0]).toMatchObject({ result: 'patched' });

    for (const container of [...pod.spec!.containers, ...(pod.spec!.initContainers ?? [])]) {
      expect(duplicates(envNames(container)), `env of ${container.name}`).toEqual([]);
      expect(duplicates((container.volumeMounts ?? []).map((m) => m.name)), `mounts of ${container.name}`).toEqual([]);
      expect(duplicates((container.volumeMounts ?? []).map((m) => m.mountPath)), `mount paths of ${container.name}`).toEqual([]);
    }
    expect(duplicates((pod.spec!.volumes ?? []).map((v) => v.name))).toEqual([]);
    expect(pod.spec!.initContainers?.filter((c) => c.name === 'credinject-agent')).toHaveLength(1);
    expect(pod.spec!.containers.filter((c) => c.name === ADDED_CONTAINER)).toHaveLength(1);
    expect(envNames(app)).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'KUBECONFIG']));
  });

  it('injects into the container the later webhook added', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('added', CREDENTIALS.join(', ')) });
    const pod = await core.readNamespacedPod({ name: 'added', namespace });
    const added = containerOf(pod, ADDED_CONTAINER);
    expect(envNames(added)).toEqual(
      expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'KUBECONFIG']),
    );
    expect(added.volumeMounts?.map((m) => m.mountPath)).toEqual(
      expect.arrayContaining(['/var/run/credinject/gcp-sa', '/root/.ssh', '/var/run/credinject/prod-cluster']),
    );
    // The reinvocation was the call that did it.
    expect(ourCalls('added').map((c) => c.result)).toEqual(['patched', 'patched']);
    // And the same credential references as the first container: same Secret, same keys.
    const app = containerOf(pod, 'app');
    const credentialEnv = (c: typeof app) => (c.env ?? []).filter((e) => e.name !== 'FROM_SECOND');
    expect(credentialEnv(added)).toEqual(credentialEnv(app));
  });
});
