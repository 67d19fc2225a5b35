/**
 * Injection against a real kube-apiserver: the credinject server runs as a child process, the
 * shipped webhook configurations call it, and every assertion reads back what the API server stored.
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { AGENT_IMAGE } from './harness/credinjectServer.js';
import {
  containerOf,
  duplicates,
  envNames,
  expectApiError,
  isNotFound,
  namespaceWithCredentials,
  podRequesting,
  waitForPods,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('injection');

const CREDENTIALS = ['aws-s3', 'gcp-sa', 'git-ssh', 'registry', 'prod-cluster'];

describe.skipIf(skipE2E)('injection through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let batch: BatchV1Api;
  let namespace: string;

  beforeAll(async () => {
    const kc = suite.cp.kubeConfig;
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    batch = kc.makeApiClient(BatchV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'inject', CREDENTIALS);
  }, 180_000);

  const stored = (name: string): Promise<V1Pod> => core.readNamespacedPod({ name, namespace });

  it('stores a Pod with aws env, gcp files and GOOGLE_APPLICATION_CREDENTIALS, ssh keys at 0400 and imagePullSecrets', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('all-types', 'aws-s3, gcp-sa, git-ssh, registry') });
    const pod = await stored('all-types');
    const app = containerOf(pod, 'app');

    expect(pod.metadata?.annotations).toMatchObject({
      'credinject.dev/status': 'injected',
      'credinject.dev/injected': expect.stringContaining('aws-s3'),
    });
    // aws: env from the Secret, by reference (values never appear in the Pod).
    expect(app.env).toEqual(
      expect.arrayContaining([
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } },
        { name: 'AWS_DEFAULT_REGION', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'region' } } },
        { name: 'AWS_REGION', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'region' } } },
      ]),
    );
    expect(JSON.stringify(pod)).not.toContain('fake/aws/secret');
    // gcp: the key file in a Secret volume and the env var pointing at it.
    expect(app.env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/credinject/gcp-sa/service-account.json' });
    expect(app.volumeMounts).toContainEqual(expect.objectContaining({ name: 'credinject-gcp-sa', mountPath: '/var/run/credinject/gcp-sa', readOnly: true }));
    const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes.get('credinject-gcp-sa')?.secret).toMatchObject({ secretName: 'gcp-sa' });
    // ssh: the keys at /root/.ssh, mode 0400.
    expect(app.volumeMounts).toContainEqual(expect.objectContaining({ name: 'credinject-git-ssh', mountPath: '/root/.ssh', readOnly: true }));
    expect(volumes.get('credinject-git-ssh')?.secret).toMatchObject({ secretName: 'git-ssh', defaultMode: 0o400 });
    // docker-registry: a pull secret, not env or files.
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(volumes.has('credinject-registry')).toBe(false);
    // The API server's own admission still ran after ours (ServiceAccount token volume).
    expect([...volumes.keys()].some((n) => n.startsWith('kube-api-access-'))).toBe(true);
  });

  it('injects the Pods a Deployment annotated at workload level creates, and stores the Deployment uninjected', async () => {
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web', labels, annotations: { 'credinject.dev/inject': 'aws-s3' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/web:1' }] } },
        },
      },
    });
    const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace });
    expect(deployment.spec?.template.metadata?.annotations).toMatchObject({ 'credinject.dev/inject': 'aws-s3' });
    expect(deployment.spec?.template.metadata?.annotations?.['credinject.dev/status']).toBeUndefined();
    expect(deployment.spec?.template.spec?.containers[0]?.env).toBeUndefined();
    expect(deployment.spec?.template.spec?.volumes).toBeUndefined();

    const [pod] = await waitForPods(suite.cp.kubeConfig, namespace, 'app=web');
    expect(pod!.metadata?.name).toBeTruthy();
    expect(pod!.metadata?.generateName).toMatch(/^web-/);
    expect(pod!.metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    expect(pod!.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected' });
    expect(envNames(containerOf(pod!, 'app'))).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
  });

  // Removing the annotation from the Deployment (`kubectl annotate deploy x credinject.dev/inject-`,
  // or `kubectl apply` of the manifest without it) must take back the copy in the template: new Pods
  // are no longer injected and the credential is no longer "used by Deployment/x".
  it('stops injecting when the workload-level annotation is removed', async () => {
    const labels = { app: 'opt-out' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'opt-out', labels, annotations: { 'credinject.dev/inject': 'aws-s3' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/web:1' }] } },
        },
      },
    });
    await apps.patchNamespacedDeployment({
      name: 'opt-out',
      namespace,
      body: [{ op: 'remove', path: '/metadata/annotations/credinject.dev~1inject' }],
    });
    const stored = await apps.readNamespacedDeployment({ name: 'opt-out', namespace });
    expect(stored.metadata?.annotations?.['credinject.dev/inject']).toBeUndefined();
    expect(stored.spec?.template.metadata?.annotations?.['credinject.dev/inject']).toBeUndefined();
  });

  it('injects the Pod of a Job annotated at workload level, and stores the Job uninjected', async () => {
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'train', annotations: { 'credinject.dev/inject': 'gcp-sa, prod-cluster' } },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'registry.example.com/train:1' }] } },
        },
      },
    });
    const job = await batch.readNamespacedJob({ name: 'train', namespace });
    expect(job.spec?.template.metadata?.annotations).toMatchObject({ 'credinject.dev/inject': 'gcp-sa, prod-cluster' });
    expect(job.spec?.template.spec?.containers[0]?.env).toBeUndefined();

    const [pod] = await waitForPods(suite.cp.kubeConfig, namespace, 'batch.kubernetes.io/job-name=train');
    expect(pod!.metadata?.generateName).toMatch(/^train-/);
    expect(containerOf(pod!, 'app').env).toContainEqual({
      name: 'GOOGLE_APPLICATION_CREDENTIALS',
      value: '/var/run/credinject/gcp-sa/service-account.json',
    });
    // A native sidecar in a restartPolicy Never pod: the API server accepts it, and it will not
    // keep the Job from completing.
    expect(pod!.spec?.restartPolicy).toBe('Never');
    expect(pod!.spec?.initContainers?.find((c) => c.name === 'credinject-agent')?.restartPolicy).toBe('Always');
  });

  it('injects the Pod of a Job made from a CronJob annotated at workload level, and stores the CronJob uninjected', async () => {
    const cronJob = await batch.createNamespacedCronJob({
      namespace,
      body: {
        metadata: { name: 'nightly', annotations: { 'credinject.dev/inject': 'aws-s3' } },
        spec: {
          schedule: '* * * * *',
          jobTemplate: {
            spec: {
              backoffLimit: 0,
              template: { spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'registry.example.com/nightly:1' }] } },
            },
          },
        },
      },
    });
    const storedCronJob = await batch.readNamespacedCronJob({ name: 'nightly', namespace });
    const template = storedCronJob.spec?.jobTemplate.spec?.template;
    expect(template?.metadata?.annotations).toMatchObject({ 'credinject.dev/inject': 'aws-s3' });
    expect(template?.spec?.containers[0]?.env).toBeUndefined();

    // The CronJob controller, at the schedule, creates a Job from spec.jobTemplate (owner: the CronJob);
    // that Job then takes the path above (workloads.mutate, then pods.mutate on its Pod). Rather than
    // wait up to a minute, create that Job now the way `kubectl create job --from=cronjob/nightly` does.
    const jobTemplate = storedCronJob.spec!.jobTemplate;
    const manual: V1Job = {
      metadata: {
        name: 'nightly-manual',
        annotations: { ...jobTemplate.metadata?.annotations, 'cronjob.kubernetes.io/instantiate': 'manual' },
        ...(jobTemplate.metadata?.labels ? { labels: jobTemplate.metadata.labels } : {}),
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: cronJob.metadata!.uid!, controller: true },
        ],
      },
      spec: jobTemplate.spec!,
    };
    await batch.createNamespacedJob({ namespace, body: manual });
    const [pod] = await waitForPods(suite.cp.kubeConfig, namespace, 'batch.kubernetes.io/job-name=nightly-manual');
    expect(pod!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'nightly-manual' });
    expect(pod!.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected' });
    expect(envNames(containerOf(pod!, 'app'))).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
  });

  it('keeps an env var the manifest sets and tells the client with an admission warning', async () => {
    const body = podRequesting('keeps-region', 'aws-s3', { env: [{ name: 'AWS_REGION', value: 'us-east-1' }] });
    const response = await core.createNamespacedPodWithHttpInfo({ namespace, body });
    const warning = response.headers['warning'] ?? '';
    expect(warning).toMatch(/^299 /);
    expect(warning).toContain('keeps its own AWS_REGION');
    expect(warning).toContain('aws-s3');

    const app = containerOf(await stored('keeps-region'), 'app');
    expect(app.env?.filter((e) => e.name === 'AWS_REGION')).toEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
    expect(envNames(app)).toContain('AWS_ACCESS_KEY_ID');
  });

  it('leaves an annotated Pod in kube-system alone (namespaceSelector)', async () => {
    await suite.cp.waitForDefaultServiceAccount('kube-system', 30_000);
    const name = `system-${Date.now().toString(36)}`;
    await core.createNamespacedPod({ namespace: 'kube-system', body: podRequesting(name, 'no-such-cred') });
    const pod = await core.readNamespacedPod({ name, namespace: 'kube-system' });
    expect(pod.metadata?.annotations).toEqual({ 'credinject.dev/inject': 'no-such-cred' });
    await core.deleteNamespacedPod({ name, namespace: 'kube-system' });
  });

  it('rejects a Pod naming a missing credential, naming the credential', async () => {
    const err = await expectApiError(core.createNamespacedPod({ namespace, body: podRequesting('missing', 'aws-s3, no-such-cred') }));
    expect(err.code).toBeGreaterThanOrEqual(400);
    expect(err.code).toBeLessThan(500);
    expect(err.message).toContain('admission webhook "pods.mutate.credinject.dev" denied the request:');
    expect(err.message).toContain('no-such-cred');
    expect(err.message).not.toContain('"aws-s3" not found');
    await expect(stored('missing')).rejects.toSatisfy(isNotFound);
  });

  it('answers a server-side dry-run create with the injected Pod and stores nothing', async () => {
    const answered = await core.createNamespacedPod({ namespace, dryRun: 'All', body: podRequesting('dry', 'aws-s3') });
    expect(answered.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected' });
    expect(envNames(containerOf(answered, 'app'))).toContain('AWS_ACCESS_KEY_ID');
    await expect(stored('dry')).rejects.toSatisfy(isNotFound);
  });

  it('stores a Pod using a kubernetes credential with the native agent sidecar, its volumes and KUBECONFIG', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('deployer', 'prod-cluster') });
    const pod = await stored('deployer');
    const app = containerOf(pod, 'app');
    expect(app.env).toContainEqual({ name: 'KUBECONFIG', value: '/var/run/credinject/prod-cluster/kubeconfig' });

    const agent = pod.spec?.initContainers?.find((c) => c.name === 'credinject-agent');
    expect(agent).toMatchObject({ image: AGENT_IMAGE, restartPolicy: 'Always' });
    expect(agent?.startupProbe).toBeDefined();
    expect(pod.spec?.initContainers?.[0]?.name).toBe('credinject-agent');

    const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes.get('credinject-prod-cluster')?.secret).toMatchObject({ secretName: 'prod-cluster' });
    expect(volumes.get('credinject-prod-cluster-rendered')?.emptyDir).toBeDefined();
    // The agent reads the Secret and writes the rendered kubeconfig; the app reads the rendered files only.
    expect(agent?.volumeMounts?.map((m) => m.name)).toEqual(expect.arrayContaining(['credinject-prod-cluster', 'credinject-prod-cluster-rendered']));
    expect(app.volumeMounts).toContainEqual(
      expect.objectContaining({ name: 'credinject-prod-cluster-rendered', mountPath: '/var/run/credinject/prod-cluster', readOnly: true }),
    );
    expect(app.volumeMounts?.some((m) => m.name === 'credinject-prod-cluster')).toBe(false);
    expect(duplicates((pod.spec?.volumes ?? []).map((v) => v.name))).toEqual([]);
  });
});
