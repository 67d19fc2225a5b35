/**
 * Smoke test of the e2e harness: a real etcd + kube-apiserver + kube-controller-manager.
 * Without binaries (run hack/envtest.sh, or set KUBEBUILDER_ASSETS) the suite is skipped, except
 * under CI=true, where it fails.
 */
import { AppsV1Api, CoreV1Api, EventsV1Api, type V1Pod } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pollUntil, resolveBinDir, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { createEventRecorder, kubeEventClient } from '../../src/kube/eventRecorder.js';
import { startCredinjectServer } from './harness/credinjectServer.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const binDir = resolveBinDir();
const inCI = process.env.CI === 'true';
if (!binDir && !inCI) {
  console.warn(
    'skipping control plane e2e: no etcd/kube-apiserver/kube-controller-manager found (run hack/envtest.sh or set KUBEBUILDER_ASSETS)',
  );
}

describe('control plane binaries', () => {
  it.runIf(inCI)('are present under CI', () => {
    expect(binDir, 'CI=true but no control plane binaries: run hack/envtest.sh before the e2e tests').toBeDefined();
  });
});

describe.skipIf(!binDir)('control plane (etcd + kube-apiserver + kube-controller-manager)', () => {
  let cp: ControlPlane;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const namespace = `smoke-${Date.now().toString(36)}`;

  beforeAll(async () => {
    cp = await startControlPlane({ binDir });
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    apps = cp.kubeConfig.makeApiClient(AppsV1Api);
  }, 120_000);

  afterAll(async () => {
    await cp?.stop();
  });

  it('serves the API with the admin kubeconfig', async () => {
    expect(cp.apiServerUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toContain('default');
  });

  it('creates a namespace and its default ServiceAccount', async () => {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await cp.waitForDefaultServiceAccount(namespace, 30_000);
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace });
    expect(sa.metadata?.name).toBe('default');
  });

  it('turns a Deployment into a ReplicaSet and a Pod', async () => {
    const labels = { app: 'smoke-web' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
          },
        },
      },
    });

    const rs = await pollUntil(
      'a ReplicaSet for Deployment web',
      async () => {
        const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=smoke-web' });
        return list.items[0];
      },
      30_000,
    );
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });

    const pod = await pollUntil(
      'a Pod for Deployment web',
      async () => {
        const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=smoke-web' });
        return list.items[0];
      },
      30_000,
    );
    // Controller-made pods come from generateName; no scheduler or kubelet, so they stay Pending.
    expect(pod.metadata?.generateName).toMatch(/^web-/);
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs.metadata?.name });
    expect(pod.status?.phase).toBe('Pending');
  });

  it('creates a Pod directly and reads it back', async () => {
    const body: V1Pod = {
      metadata: { name: 'direct', labels: { app: 'smoke-direct' } },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27', env: [{ name: 'GREETING', value: 'hello' }] }] },
    };
    await core.createNamespacedPod({ namespace, body });
    const pod = await core.readNamespacedPod({ name: 'direct', namespace });
    expect(pod.metadata?.name).toBe('direct');
    expect(pod.spec?.containers[0]?.env).toEqual([{ name: 'GREETING', value: 'hello' }]);
    // The ServiceAccount admission plugin ran: default account and a projected token volume.
    expect(pod.spec?.serviceAccountName).toBe('default');
    expect(pod.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-'))).toBe(true);
  });

  it('keeps one events.k8s.io/v1 Event per subject and reason, counting repeats from two replicas in its series', async () => {
    const secret = await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'rotated' }, stringData: { k: 'v' } } });
    const regarding = { apiVersion: 'v1', kind: 'Secret', namespace, name: 'rotated', uid: secret.metadata!.uid! };
    const request = { regarding, type: 'Warning' as const, reason: 'RotationHeld', action: 'Hold', note: 'held: key "k" breaks a rule' };
    const logger = pino({ level: 'silent' });
    const replicas = ['replica-a', 'replica-b'].map((instance) => createEventRecorder({ client: kubeEventClient(cp.api), instance, logger }));
    for (const replica of [...replicas, replicas[0]!]) {
      replica.record(request);
      await replica.flush();
    }
    const events = (await cp.kubeConfig.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace })).items.filter((e) => e.reason === 'RotationHeld');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Warning',
      reportingController: 'credinject.dev/credinject',
      reportingInstance: 'replica-a',
      regarding: { kind: 'Secret', name: 'rotated', uid: secret.metadata!.uid },
      series: { count: 3 },
    });
  });

  it('counts a repeat whose note changed, keeping the first note (the API server refuses to change it)', async () => {
    const secret = await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'refused' }, stringData: { k: 'v' } } });
    const regarding = { apiVersion: 'v1', kind: 'Secret', namespace, name: 'refused', uid: secret.metadata!.uid! };
    const request = { regarding, type: 'Warning' as const, reason: 'DeletionBlocked', action: 'Delete', note: 'used by 1 object: Deployment/web' };
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const recorder = createEventRecorder({ client: kubeEventClient(cp.api), instance: 'replica-a', logger });
    recorder.record(request);
    await recorder.flush();
    recorder.record({ ...request, note: 'used by 2 objects: Deployment/web, ReplicaSet/web-6f' });
    await recorder.flush();
    expect(warnings).toEqual([]);
    const events = (await cp.kubeConfig.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace })).items.filter((e) => e.reason === 'DeletionBlocked');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ note: 'used by 1 object: Deployment/web', series: { count: 2 } });
  });

  // serve reads token and certificate kubeconfigs itself; an exec plugin goes through client-node,
  // loaded for it. Ready means every informer listed and watches: the plugin's token authenticated.
  it('runs serve with a kubeconfig whose user is an exec plugin, through client-node loaded for it', async () => {
    const marker = join(cp.dir, 'exec-plugin-ran');
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: cp.adminToken } });
    const script = `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n'); process.stdout.write(${JSON.stringify(credential)});`;
    const kubeconfigPath = join(cp.dir, 'exec.kubeconfig');
    writeFileSync(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'exec',
        clusters: [{ name: 'envtest', cluster: { server: cp.apiServerUrl, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') } }],
        users: [{ name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', script], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'exec', context: { cluster: 'envtest', user: 'exec' } }],
      }),
      { mode: 0o600 },
    );
    const server = await startCredinjectServer(cp, { logName: 'credinject-exec', kubeconfigPath });
    try {
      expect(existsSync(marker)).toBe(true);
      expect(readFileSync(marker, 'utf8')).toContain('ran');
      expect(server.logRecords().filter((r) => r['msg'] === 'watch failed; restarting')).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
