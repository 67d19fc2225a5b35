/**
 * Rotation against a real kube-apiserver and kube-controller-manager: `serve --rotate-workloads`
 * (short quiet period) leads with the shared Lease, records `credinject.dev/versions` on Pods and,
 * when a key a Deployment takes as env changes, patches its template's `credinject.dev/restarted-for`
 * so the Deployment controller rolls out a new ReplicaSet. A Deployment taking a credential as files
 * and a Job are left alone; invalid data (validating webhook removed) holds the rollout with a
 * `RotationHeld` Event. Everything polls with a deadline; expected digests are computed from the
 * shared digest key Secret, the same way the server does.
 */
import { AdmissionregistrationV1Api, AppsV1Api, BatchV1Api, CoreV1Api, EventsV1Api, type V1Pod, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { createExampleCredentials, createTestNamespace, waitForCredentialsCached, waitForPods } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { registerWebhooks, type RegisteredWebhooks } from './harness/webhooks.js';

announceSkip('rotation');

const INJECTOR = 'credinject-system';
const QUIET_SECONDS = 3;
const restartedFor = 'credinject.dev/restarted-for';
const versionsKey = 'credinject.dev/versions';

describe.skipIf(skipE2E)('rotation restarts exactly the workloads that take a changed key as env', () => {
  let cp: ControlPlane;
  let server: CredinjectServer;
  let webhooks: RegisteredWebhooks;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let batch: BatchV1Api;
  let ns: string;
  let digestKey: Buffer;

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    apps = cp.kubeConfig.makeApiClient(AppsV1Api);
    batch = cp.kubeConfig.makeApiClient(BatchV1Api);
    await core.createNamespace({ body: { metadata: { name: INJECTOR } } });
    server = await startCredinjectServer(cp, { logName: 'credinject-rotation', extraArgs: ['--rotate-workloads', '--rotation-quiet-period', String(QUIET_SECONDS)] });
    webhooks = await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem! });
    const stored = await core.readNamespacedSecret({ namespace: INJECTOR, name: 'credinject-digest-key' });
    digestKey = Buffer.from(stored.data?.['key'] ?? '', 'base64');
    ns = await createTestNamespace(cp, 'rotation');
    // Created before the credentials, so the view has it when their cache is waited for: its pods
    // get aws-s3 as env from the ServiceAccount alone (DESIGN, the ServiceAccount merge).
    // Opted in: every Pod goes to the webhooks, which merge its ServiceAccount's request annotations.
    await core.patchNamespace({ name: ns, body: [{ op: 'add', path: '/metadata/labels/credinject.dev~1injection', value: 'enabled' }] });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'sa-user', annotations: { 'credinject.dev/inject': 'aws-s3' } } } });
    await createExampleCredentials(cp.kubeConfig, ns, ['aws-s3', 'gcp-sa']);
    await waitForCredentialsCached(cp.kubeConfig, ns, ['aws-s3', 'gcp-sa']);
    // The ServiceAccount reaches the server through its informer: a dry-run Pod shows when it has.
    await pollUntil('the server to give sa-user pods aws-s3', async () => {
      const probe = await core.createNamespacedPod({
        namespace: ns,
        dryRun: 'All',
        body: { metadata: { name: 'sa-probe' }, spec: { serviceAccountName: 'sa-user', containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } },
      });
      return JSON.stringify(probe.spec?.containers[0]?.env ?? []).includes('aws-s3') ? true : undefined;
    }, 30_000);
    const template = (app: string, inject: string) => ({
      metadata: { labels: { app }, annotations: { 'credinject.dev/inject': inject } },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
    });
    // Recreate: without a kubelet no pod gets Ready, so a rolling update would never scale the old one down.
    const deployment = (name: string, inject: string) => ({
      metadata: { name },
      spec: { replicas: 1, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: name } }, template: template(name, inject) },
    });
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('env-api', 'aws-s3') });
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('files-api', 'gcp-sa') });
    // No annotation of its own: aws-s3 comes from the ServiceAccount.
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'sa-api' },
        spec: {
          replicas: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: { app: 'sa-api' } },
          template: { metadata: { labels: { app: 'sa-api' } }, spec: { serviceAccountName: 'sa-user', containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } },
        },
      },
    });
    await batch.createNamespacedJob({ namespace: ns, body: { metadata: { name: 'train' }, spec: { backoffLimit: 0, template: { ...template('train', 'aws-s3'), spec: { ...template('train', 'aws-s3').spec, restartPolicy: 'Never' } } } } });
    for (const app of ['env-api', 'files-api', 'sa-api', 'train']) await waitForPods(cp.kubeConfig, ns, `app=${app}`);
    // The controller polls its cache: until it has seen both credentials' current data, a change is
    // one it cannot name key by key (as for a new leader), so the tests below rotate only after that.
    await pollUntil('the rotation controller to track both credentials, settled', async () => {
      const text = await server.metrics();
      return text.includes('credinject_rotation_credentials{state="settled"} 2\n') ? true : undefined;
    }, 60_000);
  }, 240_000);

  afterAll(async () => {
    await webhooks?.remove();
    await server?.stop();
    await cp?.stop();
  }, 90_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') {
      console.error(`--- credinject log (tail) ---\n${server.logTail(60)}\n--- kube-apiserver log (tail) ---\n${cp.logTail('kube-apiserver', 15)}`);
    }
  });

  /** The value of a metric line `name{labels} value`, 0 when absent. */
  async function metric(line: string): Promise<number> {
    const found = (await server.metrics()).split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : 0;
  }

  const replicaSets = async (app: string): Promise<V1ReplicaSet[]> => (await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${app}` })).items;
  const templateAnnotation = async (name: string): Promise<string | undefined> =>
    (await apps.readNamespacedDeployment({ namespace: ns, name })).spec?.template.metadata?.annotations?.[restartedFor];

  /** The keys of aws-s3 a pod takes as env, from its spec (what the server digests over). */
  const envKeys = (pod: V1Pod): string[] =>
    (pod.spec?.containers ?? []).flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef?.name === 'aws-s3' ? [e.valueFrom.secretKeyRef.key] : [])));

  /** The version of aws-s3 over `keys` as it is stored now, computed like the server does. */
  async function currentVersion(keys: string[]): Promise<string> {
    const secret = await core.readNamespacedSecret({ namespace: ns, name: 'aws-s3' });
    return versionDigest(keyDigests(secret, digestKey), keys);
  }

  async function setSecretKey(value: string): Promise<void> {
    await core.patchNamespacedSecret({ namespace: ns, name: 'aws-s3', body: [{ op: 'replace', path: '/data/secret_access_key', value: Buffer.from(value).toString('base64') }] });
  }

  let firstPod: V1Pod;

  it('records on each Pod the version of the keys it takes as env', async () => {
    firstPod = (await waitForPods(cp.kubeConfig, ns, 'app=env-api'))[0]!;
    expect(envKeys(firstPod)).toContain('secret_access_key');
    expect(firstPod.metadata?.annotations?.[versionsKey]).toBe(`aws-s3=${await currentVersion(envKeys(firstPod))}`);
    const [filesPod] = await waitForPods(cp.kubeConfig, ns, 'app=files-api');
    expect(filesPod!.metadata?.annotations?.[versionsKey]).toMatch(/^gcp-sa=[0-9a-f]{16}$/);
  });

  it('rolls out a new ReplicaSet for the env Deployment only, with a CredentialRotated Event; new pods run the current version', async () => {
    const filesBefore = (await replicaSets('files-api')).map((rs) => rs.metadata?.name).sort();
    const job = await batch.readNamespacedJob({ namespace: ns, name: 'train' });
    await setSecretKey('rotated/secret/access/key/number/one/000');
    const expected = await currentVersion(envKeys(firstPod));
    await pollUntil('env-api restarted for the new secret_access_key', async () => ((await templateAnnotation('env-api')) === `aws-s3=${expected}` ? true : undefined), 60_000);
    const sets = await pollUntil('a second ReplicaSet of env-api', async () => {
      const found = await replicaSets('env-api');
      return found.length === 2 ? found : undefined;
    }, 60_000);
    expect(sets.filter((rs) => rs.spec?.template?.metadata?.annotations?.[restartedFor] === `aws-s3=${expected}`)).toHaveLength(1);

    const rotated = await pollUntil('a CredentialRotated Event on env-api', async () => {
      const list = await cp.kubeConfig.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: ns });
      return list.items.find((e) => e.reason === 'CredentialRotated' && e.regarding?.name === 'env-api');
    }, 30_000);
    expect(rotated.type).toBe('Normal');
    expect(rotated.note).toContain('credential "aws-s3" changed secret_access_key');
    expect(rotated.note).not.toContain('rotated/secret');

    // The new pod carries the version the template was restarted for; the old one is gone.
    const pods = await pollUntil('env-api pods all on the new version', async () => {
      const list = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=env-api' })).items;
      return list.length > 0 && list.every((p) => p.metadata?.annotations?.[versionsKey] === `aws-s3=${expected}`) ? list : undefined;
    }, 60_000);
    expect(pods.length).toBeGreaterThan(0);
    // Only the Job's pod (never restarted) is stale; the Deployment's pods count 0.
    const jobPods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=train' })).items.length;
    await pollUntil('stale pods = the Job pods', async () => ((await metric(`credinject_stale_pods{namespace="${ns}",credential="aws-s3"}`)) === jobPods ? true : undefined), 30_000);

    expect((await replicaSets('files-api')).map((rs) => rs.metadata?.name).sort()).toEqual(filesBefore);
    expect(await templateAnnotation('files-api')).toBeUndefined();
    const jobAfter = await batch.readNamespacedJob({ namespace: ns, name: 'train' });
    expect(jobAfter.metadata?.generation).toBe(job.metadata?.generation);
    expect(jobAfter.spec?.template.metadata?.annotations?.[restartedFor]).toBeUndefined();
  });

  it('restarts a Deployment that takes the credential as env only through its ServiceAccount', async () => {
    const [pod] = await waitForPods(cp.kubeConfig, ns, 'app=sa-api');
    expect(envKeys(pod!)).toContain('secret_access_key');
    // The rotation of the test above restarted it too (the last one rolled it out).
    const expected = await currentVersion(envKeys(pod!));
    await pollUntil('sa-api restarted for the current aws-s3', async () => ((await templateAnnotation('sa-api')) === `aws-s3=${expected}` ? true : undefined), 60_000);
    const sets = await pollUntil('a second ReplicaSet of sa-api', async () => {
      const found = await replicaSets('sa-api');
      return found.length >= 2 ? found : undefined;
    }, 60_000);
    expect(sets.filter((rs) => rs.spec?.template?.metadata?.annotations?.[restartedFor] === `aws-s3=${expected}`)).toHaveLength(1);
  });

  it('makes one rollout of two updates inside the quiet period', async () => {
    const before = (await replicaSets('env-api')).length;
    const restartsBefore = await metric('credinject_rotation_restarts_total{kind="Deployment",result="ok"}');
    await setSecretKey('rotated/secret/access/key/number/two/000');
    await setSecretKey('rotated/secret/access/key/number/three/00');
    const expected = await currentVersion(envKeys(firstPod));
    await pollUntil('env-api restarted for the last update', async () => ((await templateAnnotation('env-api')) === `aws-s3=${expected}` ? true : undefined), 60_000);
    await pollUntil('the new ReplicaSet', async () => ((await replicaSets('env-api')).length === before + 1 ? true : undefined), 60_000);
    // One rollout each for env-api and sa-api (aws-s3 as env through its ServiceAccount), not two.
    expect(await metric('credinject_rotation_restarts_total{kind="Deployment",result="ok"}')).toBe(restartsBefore + 2);
  });

  it('holds an invalid update (validating webhook removed) with RotationHeld, and goes ahead once valid', async () => {
    const admission = cp.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
    await admission.deleteValidatingWebhookConfiguration({ name: webhooks.validating.metadata!.name! });
    const kept = await templateAnnotation('env-api');
    const sets = (await replicaSets('env-api')).length;
    // An empty secret_access_key breaks the aws type's rules; the API server no longer asks us.
    await pollUntil('the invalid update to be accepted', async () => {
      await setSecretKey('');
      return true;
    }, 30_000);
    const held = await pollUntil('a RotationHeld Event on the Secret', async () => {
      const list = await cp.kubeConfig.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: ns });
      return list.items.find((e) => e.reason === 'RotationHeld' && e.regarding?.kind === 'Secret' && e.regarding.name === 'aws-s3');
    }, 60_000);
    expect(held.type).toBe('Warning');
    expect(held.note).toContain('Deployment/env-api');
    expect(await metric('credinject_rotation_held_total')).toBeGreaterThanOrEqual(1);
    expect(await templateAnnotation('env-api')).toBe(kept);
    expect((await replicaSets('env-api')).length).toBe(sets);

    await setSecretKey('rotated/secret/access/key/number/four/000');
    const expected = await currentVersion(envKeys(firstPod));
    await pollUntil('env-api restarted once the data is valid', async () => ((await templateAnnotation('env-api')) === `aws-s3=${expected}` ? true : undefined), 60_000);
  });
});
