/**
 * Staleness in the operator's CLI against a real kube-apiserver: `serve --rotate-workloads` (the
 * shared digest key) records `credinject.dev/versions` on Pods through the webhook; after a key
 * rotation, `credinject list` counts the Pod that takes the changed key as env as STALE and
 * `describe` names the key; a Pod taking its credential as files refreshes in place; a Pod created
 * after the rotation is current. A ServiceAccount that may not read the digest key Secret sees "?"
 * and one notice naming the Secret and the RBAC rule. No value, key or digest is printed.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { keyDigests } from '../../src/credentials/keyDigests.js';
import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { CLI_ENTRY, startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { createExampleCredentials, createTestNamespace, podRequesting, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { registerWebhooks, type RegisteredWebhooks } from './harness/webhooks.js';

announceSkip('staleness');

const INJECTOR = 'credinject-system';
const ROTATED = 'rotated-secret-access-key-staleness-marker';
const versionsKey = 'credinject.dev/versions';

interface Row {
  name: string;
  inUse: number;
  stale: number | null;
  staleness: { kind: string; name: string; state: string; changedKeys?: string[]; exact?: boolean; reason?: string }[];
}

describe.skipIf(skipE2E)('list and describe show which pods run an older version', () => {
  let cp: ControlPlane;
  let server: CredinjectServer;
  let webhooks: RegisteredWebhooks;
  let core: CoreV1Api;
  let ns: string;
  let printed = '';

  const cli = (args: string[], kubeconfig = cp.kubeconfigPath) => {
    const result = spawnSync(process.execPath, [CLI_ENTRY, ...args, '--kubeconfig', kubeconfig], { encoding: 'utf8', timeout: 60_000 });
    printed += result.stdout + result.stderr;
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const rows = (kubeconfig?: string): Row[] => JSON.parse(cli(['list', '-n', ns, '-o', 'json'], kubeconfig).stdout) as Row[];
  const rowOf = (name: string, kubeconfig?: string): Row | undefined => rows(kubeconfig).find((row) => row.name === name);

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: INJECTOR } } });
    server = await startCredinjectServer(cp, { logName: 'credinject-staleness', extraArgs: ['--rotate-workloads', '--rotation-quiet-period', '1'] });
    webhooks = await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem! });
    ns = await createTestNamespace(cp, 'stale');
    await createExampleCredentials(cp.kubeConfig, ns, ['aws-s3', 'gcp-sa']);
    await waitForCredentialsCached(cp.kubeConfig, ns, ['aws-s3', 'gcp-sa']);
    // Bare Pods: never restarted, so the one taking secret_access_key as env stays stale.
    const envPod = podRequesting('env-pod', 'aws-s3');
    envPod.metadata!.annotations = { ...envPod.metadata!.annotations, 'keys.credinject.dev/aws-s3': 'secret_access_key' };
    await core.createNamespacedPod({ namespace: ns, body: envPod });
    await core.createNamespacedPod({ namespace: ns, body: podRequesting('files-pod', 'gcp-sa') });
    for (const name of ['env-pod', 'files-pod']) {
      const pod = await core.readNamespacedPod({ namespace: ns, name });
      expect(pod.metadata?.annotations?.[versionsKey]).toMatch(/=[0-9a-f]{16}$/);
    }
  }, 240_000);

  afterAll(async () => {
    await webhooks?.remove();
    await server?.stop();
    await cp?.stop();
  }, 90_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.error(`--- credinject log (tail) ---\n${server.logTail(40)}`);
  });

  it('shows every pod current before a rotation', () => {
    expect(rowOf('aws-s3')).toMatchObject({ stale: 0, staleness: [{ kind: 'Pod', name: 'env-pod', state: 'current' }] });
    expect(rowOf('gcp-sa')).toMatchObject({ stale: 0, staleness: [{ kind: 'Pod', name: 'files-pod', state: 'current' }] });
  });

  it('after a rotation, counts the env pod as STALE naming the key, and the files pod refreshing in place', async () => {
    await core.patchNamespacedSecret({ namespace: ns, name: 'aws-s3', body: [{ op: 'replace', path: '/data/secret_access_key', value: Buffer.from(ROTATED).toString('base64') }] });
    const gcp = await core.readNamespacedSecret({ namespace: ns, name: 'gcp-sa' });
    const key = Object.keys(gcp.data ?? {})[0]!;
    const rotatedGcp = JSON.stringify({ ...JSON.parse(Buffer.from(gcp.data![key]!, 'base64').toString()), private_key_id: 'rotated-staleness' });
    await core.patchNamespacedSecret({ namespace: ns, name: 'gcp-sa', body: [{ op: 'replace', path: `/data/${key}`, value: Buffer.from(rotatedGcp).toString('base64') }] });

    expect(rowOf('aws-s3')).toMatchObject({ stale: 1, staleness: [{ kind: 'Pod', name: 'env-pod', state: 'stale', changedKeys: ['secret_access_key'], exact: true }] });
    expect(rowOf('gcp-sa')).toMatchObject({ stale: 0, staleness: [{ kind: 'Pod', name: 'files-pod', state: 'refreshing' }] });
    const table = cli(['list', '-n', ns]);
    expect(table.stderr).toBe('');
    expect(table.stdout.split('\n')[0]).toMatch(/IN-USE +STALE +AGE$/);
    expect(table.stdout).toMatch(/\naws-s3 +\S+ +aws +namespace +valid +1 +1 +\S+\n/);
    expect(table.stdout).toMatch(/\ngcp-sa +\S+ +gcp +namespace +valid +1 +0 +\S+\n/);

    const described = cli(['describe', 'aws-s3', '-n', ns]);
    expect(described.code).toBe(0);
    expect(described.stdout).toContain('Stale:        1 of 1\n');
    expect(described.stdout).toMatch(/ {2}Pod\/env-pod +env\n(?: {4}Env: .*\n)* {4}Version: {6}stale: secret_access_key changed\n/);
    expect(cli(['describe', 'gcp-sa', '-n', ns]).stdout).toMatch(/ {2}Pod\/files-pod +.*files\n(?: {4}(?:Env|Files): .*\n)* {4}Version: {6}refreshing in place/);
  });

  it('shows a pod created after the rotation current', async () => {
    const fresh = podRequesting('env-pod-new', 'aws-s3');
    fresh.metadata!.annotations = { ...fresh.metadata!.annotations, 'keys.credinject.dev/aws-s3': 'secret_access_key' };
    await core.createNamespacedPod({ namespace: ns, body: fresh });
    const row = await pollUntil('the new pod in the list', async () => rowOf('aws-s3')?.staleness.find((user) => user.name === 'env-pod-new'), 30_000);
    expect(row.state).toBe('current');
    expect(rowOf('aws-s3')?.stale).toBe(1);
  });

  it('shows "?" and one notice naming the Secret and the RBAC rule to a user who may not read the digest key', async () => {
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'lister' } } });
    await rbac.createNamespacedRole({ namespace: ns, body: { metadata: { name: 'lister' }, rules: [{ apiGroups: ['', 'apps', 'batch'], resources: ['*'], verbs: ['get', 'list'] }] } });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: { metadata: { name: 'lister' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'lister' }, subjects: [{ kind: 'ServiceAccount', name: 'lister', namespace: ns }] },
    });
    const token = (await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'lister', body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status!.token;
    const kubeconfig = join(cp.dir, 'lister.kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'e2e', cluster: { server: cp.apiServerUrl, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') } }],
        users: [{ name: 'lister', user: { token } }],
        contexts: [{ name: 'lister', context: { cluster: 'e2e', user: 'lister', namespace: ns } }],
        'current-context': 'lister',
      }),
    );
    const table = cli(['list'], kubeconfig);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\naws-s3 +\S+ +aws +namespace +valid +2 +\? +\S+\n/);
    expect(table.stderr).toBe(
      `credinject list: staleness is unknown ("?"): forbidden to get Secret ${INJECTOR}/credinject-digest-key; a Role in namespace ${INJECTOR} with the rule {apiGroups: [""], resources: ["secrets"], resourceNames: ["credinject-digest-key"], verbs: ["get"]}, bound to you, allows it\n`,
    );
    const described = cli(['describe', 'aws-s3'], kubeconfig);
    expect(described.stdout).toContain('Stale:        ? (see the users)\n');
    expect(described.stdout).toContain(`Notice:       staleness is unknown ("?"): forbidden to get Secret ${INJECTOR}/credinject-digest-key;`);
  });

  it('never printed a value, the digest key or a digest', async () => {
    const stored = await core.readNamespacedSecret({ namespace: INJECTOR, name: 'credinject-digest-key' });
    const digestKey = Buffer.from(stored.data?.['key'] ?? '', 'base64');
    const aws = await core.readNamespacedSecret({ namespace: ns, name: 'aws-s3' });
    const versions = (await core.listNamespacedPod({ namespace: ns })).items.map((pod) => pod.metadata?.annotations?.[versionsKey] ?? '').join(',');
    const forbidden = [ROTATED, stored.data!['key']!, ...Object.values(keyDigests(aws, digestKey)), ...versions.split(/[,=]/).filter((part) => /^[0-9a-f]{16}$/.test(part))];
    expect(printed.length).toBeGreaterThan(0);
    for (const text of forbidden) expect(printed).not.toContain(text);
    for (const value of Object.values(aws.data ?? {})) expect(printed).not.toContain(Buffer.from(value, 'base64').toString());
  });
});
