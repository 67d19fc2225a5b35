/**
 * Credential validation and deletion protection against a real kube-apiserver and controller
 * manager: the validating webhook sees real DELETEs (oldObject, userInfo of the namespace
 * controller) and its usage index is fed by informers, so every check polls with a deadline.
 */
import { AppsV1Api, CoreV1Api, EventsV1Api, type V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import {
  apiErrorOf,
  createExampleCredentials,
  createTestNamespace,
  exampleCredentials,
  expectApiError,
  isNotFound,
  namespaceWithCredentials,
  podRequesting,
  waitForCredentialsCached,
  waitForPods,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('protection');

describe.skipIf(skipE2E)('credential validation and deletion protection through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    apps = suite.cp.kubeConfig.makeApiClient(AppsV1Api);
  }, 180_000);

  /** Waits until a dry-run DELETE of the credential is refused: the usage index has seen its users. */
  async function waitUntilProtected(namespace: string, name: string): Promise<void> {
    await pollUntil(
      `the webhook to protect ${namespace}/${name}`,
      async () => {
        const err = await core.deleteNamespacedSecret({ name, namespace, dryRun: 'All' }).then(() => undefined, apiErrorOf);
        return err?.message.includes('secrets.validate.credinject.dev') ? true : undefined;
      },
      30_000,
    );
  }

  it('rejects a kubernetes credential with both a token and a client certificate at create time, naming both', async () => {
    const namespace = await createTestNamespace(suite.cp, 'validate');
    const base = exampleCredentials().get('oke-cluster')!; // client certificate + key
    const body: V1Secret = {
      ...structuredClone(base),
      metadata: { name: 'both-auth', labels: { 'credinject.dev/type': 'kubernetes' } },
      stringData: { ...base.stringData, token: 'fake-token-must-not-be-echoed' },
    };
    const err = await expectApiError(core.createNamespacedSecret({ namespace, body }));
    expect(err.code).toBeGreaterThanOrEqual(400);
    expect(err.code).toBeLessThan(500);
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('both-auth');
    expect(err.message).toContain('"token"');
    expect(err.message).toContain('"client_certificate"');
    expect(err.message).not.toContain('fake-token-must-not-be-echoed');
    await expect(core.readNamespacedSecret({ name: 'both-auth', namespace })).rejects.toSatisfy(isNotFound);
  });

  it('refuses to delete a credential a Deployment uses, naming the Deployment, and allows it once the Deployment is gone', async () => {
    const namespace = await namespaceWithCredentials(suite.cp, 'protect', ['aws-s3']);
    const labels = { app: 'uses-aws' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'uses-aws', labels, annotations: { 'credinject.dev/inject': 'aws-s3' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } },
        },
      },
    });
    await waitUntilProtected(namespace, 'aws-s3');

    const err = await expectApiError(core.deleteNamespacedSecret({ name: 'aws-s3', namespace }));
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('aws-s3');
    expect(err.message).toContain('Deployment/uses-aws');
    // Still stored.
    expect((await core.readNamespacedSecret({ name: 'aws-s3', namespace })).metadata?.name).toBe('aws-s3');

    // Wait for the controller's Pod so that the usage index has three users to forget.
    await waitForPods(suite.cp.kubeConfig, namespace, 'app=uses-aws');
    await apps.deleteNamespacedDeployment({ name: 'uses-aws', namespace, propagationPolicy: 'Foreground' });
    await pollUntil(
      'the Deployment, its ReplicaSet and Pods to be gone',
      async () => {
        const [deployments, replicaSets, pods] = await Promise.all([
          apps.listNamespacedDeployment({ namespace }),
          apps.listNamespacedReplicaSet({ namespace }),
          core.listNamespacedPod({ namespace }),
        ]);
        return deployments.items.length + replicaSets.items.length + pods.items.length === 0 ? true : undefined;
      },
      45_000,
    );
    // The index learns of the deletions through informers: retry the real DELETE until it passes.
    await pollUntil('the unused credential to be deletable', () => core.deleteNamespacedSecret({ name: 'aws-s3', namespace }).then(() => true), 20_000);
    await expect(core.readNamespacedSecret({ name: 'aws-s3', namespace })).rejects.toSatisfy(isNotFound);
  });

  it('refuses to delete a credential a hand-wired Deployment references, naming it as a direct reference', async () => {
    const namespace = await namespaceWithCredentials(suite.cp, 'handwired', ['aws-s3']);
    const labels = { app: 'by-hand' };
    // No credinject annotation: the webhooks never see this Deployment, only the informers do.
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'by-hand', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'registry.example.com/app:1',
                  env: [{ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } }],
                },
              ],
            },
          },
        },
      },
    });
    await waitUntilProtected(namespace, 'aws-s3');

    const err = await expectApiError(core.deleteNamespacedSecret({ name: 'aws-s3', namespace }));
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('Deployment/by-hand (direct reference)');
    expect((await core.readNamespacedSecret({ name: 'aws-s3', namespace })).metadata?.name).toBe('aws-s3');

    // The refusal is on record on the Secret: a Warning Event DeletionBlocked naming the first users.
    const events = suite.cp.kubeConfig.makeApiClient(EventsV1Api);
    const event = await pollUntil(
      'the DeletionBlocked Event on aws-s3',
      async () => {
        const list = await events.listNamespacedEvent({ namespace });
        return list.items.find((e) => e.reason === 'DeletionBlocked' && e.regarding?.kind === 'Secret' && e.regarding.name === 'aws-s3');
      },
      20_000,
    );
    expect(event.type).toBe('Warning');
    expect(event.reportingController).toBe('credinject.dev/credinject');
    expect(event.note).toContain('deletion of credential "aws-s3" refused for ');
    expect(event.note).toContain('Deployment/by-hand (direct reference)');

    // Dry runs leave no Event; a second refusal counts in the same Event's series.
    await core.deleteNamespacedSecret({ name: 'aws-s3', namespace, dryRun: 'All' }).catch(() => undefined);
    await expectApiError(core.deleteNamespacedSecret({ name: 'aws-s3', namespace }));
    await pollUntil(
      'the second refusal to be counted',
      async () => {
        const list = await events.listNamespacedEvent({ namespace });
        const blocked = list.items.filter((e) => e.reason === 'DeletionBlocked');
        return blocked.length === 1 && blocked[0]!.series?.count === 2 ? true : undefined;
      },
      20_000,
    );
  });

  it('lets a credential in use be deleted when it is annotated allow-delete', async () => {
    const namespace = await namespaceWithCredentials(suite.cp, 'breakglass', ['hf-token']);
    await core.createNamespacedPod({ namespace, body: podRequesting('reader', 'hf-token') });
    await waitUntilProtected(namespace, 'hf-token');

    await core.patchNamespacedSecret(
      { name: 'hf-token', namespace, body: [{ op: 'add', path: '/metadata/annotations/credinject.dev~1allow-delete', value: 'true' }] },
    );
    await core.deleteNamespacedSecret({ name: 'hf-token', namespace });
    await expect(core.readNamespacedSecret({ name: 'hf-token', namespace })).rejects.toSatisfy(isNotFound);
  });

  it('refuses to remove the type label from a credential in use', async () => {
    const namespace = await namespaceWithCredentials(suite.cp, 'unlabel', ['wandb']);
    await core.createNamespacedPod({ namespace, body: podRequesting('tracker', 'wandb') });
    await waitUntilProtected(namespace, 'wandb');

    // The objectSelector matches the old object on UPDATE too, so the webhook sees the label go.
    const err = await expectApiError(
      core.patchNamespacedSecret({ name: 'wandb', namespace, body: [{ op: 'remove', path: '/metadata/labels/credinject.dev~1type' }] }),
    );
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('Pod/tracker');
    const stored = await core.readNamespacedSecret({ name: 'wandb', namespace });
    expect(stored.metadata?.labels?.['credinject.dev/type']).toBe('generic');
  });

  it('never blocks the controllers of a Deployment whose credential was deleted under allow-delete', async () => {
    const namespace = await namespaceWithCredentials(suite.cp, 'orphan', ['mlflow']);
    const labels = { app: 'orphan' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'orphan', labels, annotations: { 'credinject.dev/inject': 'mlflow' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } },
        },
      },
    });
    await waitForPods(suite.cp.kubeConfig, namespace, 'app=orphan');
    await core.patchNamespacedSecret({
      name: 'mlflow',
      namespace,
      body: [{ op: 'add', path: '/metadata/annotations/credinject.dev~1allow-delete', value: 'true' }],
    });
    await core.deleteNamespacedSecret({ name: 'mlflow', namespace });
    await pollUntil(
      'the webhook to forget the deleted credential',
      async () => {
        const err = await core
          .createNamespacedPod({ namespace, dryRun: 'All', body: podRequesting('probe', 'mlflow') })
          .then(() => undefined, apiErrorOf);
        return err?.message.includes('"mlflow" not found') ? true : undefined;
      },
      20_000,
    );

    // Scaling leaves the references as they were: admitted although the credential is gone.
    await apps.patchNamespacedDeployment({ name: 'orphan', namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 0 }] });
    await pollUntil(
      'the ReplicaSet to scale to 0',
      async () => {
        const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=orphan' });
        return list.items.length > 0 && list.items.every((rs) => (rs.status?.replicas ?? 0) === 0) ? true : undefined;
      },
      30_000,
    );
    // Foreground deletion: the garbage collector updates the Deployment and ReplicaSet (finalizers)
    // on the way out; none of those UPDATEs may be denied.
    await apps.deleteNamespacedDeployment({ name: 'orphan', namespace, propagationPolicy: 'Foreground' });
    await pollUntil(
      'the Deployment and its ReplicaSet to be gone',
      async () => {
        const [deployments, replicaSets] = await Promise.all([
          apps.listNamespacedDeployment({ namespace }),
          apps.listNamespacedReplicaSet({ namespace }),
        ]);
        return deployments.items.length + replicaSets.items.length === 0 ? true : undefined;
      },
      45_000,
    );
  });

  it('does not block deleting a namespace that holds credentials in use', async () => {
    const namespace = await createTestNamespace(suite.cp, 'teardown');
    const used = ['aws-s3', 'gcp-sa', 'git-ssh'];
    await createExampleCredentials(suite.cp.kubeConfig, namespace, used);
    await waitForCredentialsCached(suite.cp.kubeConfig, namespace, used);
    await core.createNamespacedPod({ namespace, body: podRequesting('user', used.join(', ')) });
    // The namespace controller deletes Pods first and waits for them (ordered namespace deletion,
    // on by default since 1.33), then everything else. A finalizer holds this Deployment, so the
    // credentials are still in use when their DELETEs arrive: only the teardown exemption lets them pass.
    const labels = { app: 'teardown' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'held', labels, finalizers: ['e2e.credinject.dev/hold'], annotations: { 'credinject.dev/inject': used.join(', ') } },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } },
        },
      },
    });
    for (const name of used) await waitUntilProtected(namespace, name);

    await core.deleteNamespace({ name: namespace });
    await pollUntil(
      `the namespace controller to delete the credentials of ${namespace}`,
      async () => {
        const secrets = await core.listNamespacedSecret({ namespace, labelSelector: 'credinject.dev/type' });
        return secrets.items.length === 0 ? true : undefined;
      },
      60_000,
    );
    const user = await apps.readNamespacedDeployment({ name: 'held', namespace });
    expect(user.metadata?.deletionTimestamp).toBeDefined();

    await apps.patchNamespacedDeployment({ name: 'held', namespace, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    await pollUntil(
      `namespace ${namespace} to be gone`,
      async () => {
        try {
          const ns = await core.readNamespace({ name: namespace });
          const failed = ns.status?.conditions?.find((c) => c.type === 'NamespaceDeletionContentFailure' && c.status === 'True');
          if (failed) throw new Error(`namespace deletion failing: ${failed.message}`);
          return undefined;
        } catch (err) {
          if (isNotFound(err)) return true;
          throw err;
        }
      },
      90_000,
    );
  }, 150_000);
});
