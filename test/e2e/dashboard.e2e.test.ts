/**
 * `credinject dashboard` in Debian's headless Chromium (driven by playwright-core, no browser
 * download) against a real kube-apiserver: credentials of several types, a broken one (stored while
 * no validating webhook is registered), one expiring, a cluster credential with one current copy and
 * one missing, one used by a Deployment. The page shows their statuses, search, a type filter and a
 * sort change its rows, the detail lists the Deployment, a new credential appears without a reload,
 * requests without the token get 403, and no marker value reaches the HTML, the scripts' data or any
 * response. A second dashboard runs as a user with rights in one namespace only: the other is shown
 * as forbidden. Screenshots go to .cache/reports/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, CoreV1Api, RbacAuthorizationV1Api, type V1Secret } from '@kubernetes/client-node';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import { certificateUntil } from '../fixtures/expiringMaterial.js';
import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { startDashboard, type DashboardProcess } from './harness/dashboardProcess.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';

announceSkip('dashboard');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const reports = fileURLToPath(new URL('../../.cache/reports/', import.meta.url));

const ML = 'dash-ml';
const WEB = 'dash-web';
const INJECTOR = 'credinject';
const day = 24 * 3600 * 1000;
const markers = {
  hf: 'hf_MARKER_dashboard_e2e_0001',
  awsKey: 'AKIA_MARKER_dashboard_e2e_0002',
  awsSecret: 'aws_MARKER_dashboard_e2e_0003',
  shared: 'hf_MARKER_dashboard_e2e_0004',
  registry: 'registry_MARKER_dashboard_e2e_0005',
  late: 'hf_MARKER_dashboard_e2e_0006',
  oldSecret: 'aws_MARKER_dashboard_e2e_0007_before_rotation',
};
// The shared digest key as serve --rotate-workloads keeps it; the page must never show it or a digest.
const digestKey = Buffer.alloc(32, 0x5a);

function credential(namespace: string, name: string, type: string, stringData: Record<string, string>, extra: Partial<{ labels: Record<string, string>; annotations: Record<string, string>; secretType: string }> = {}): V1Secret {
  return {
    metadata: {
      name,
      namespace,
      labels: { 'credinject.dev/type': type, ...extra.labels },
      // kubectl's record of the applied manifest holds the values: the page must never show it.
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData }), ...extra.annotations },
    },
    type: extra.secretType ?? 'Opaque',
    stringData,
  };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(skipE2E)('credinject dashboard in a real browser', () => {
  let cp: ControlPlane;
  let core: CoreV1Api;
  let dashboard: DashboardProcess;
  let browser: Browser;
  let page: Page;
  let keyPem = '';
  let staleVersion = '';
  const responses: string[] = [];

  const rowIds = async (): Promise<string[]> => page.locator('#rows tr[data-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id') ?? ''));
  const statusOf = async (id: string): Promise<string> => (await page.locator(`#rows tr[data-id="${id}"] td[data-state] .status`).textContent()) ?? '';
  const waitForRows = (what: string, ok: (ids: string[]) => boolean) =>
    pollUntil(what, async () => {
      const ids = await rowIds();
      return ok(ids) ? ids : undefined;
    }, 20_000);

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    for (const [name, labels] of [[ML, { team: 'ml' }], [WEB, { team: 'ml' }], [INJECTOR, {}]] as const) {
      await core.createNamespace({ body: { metadata: { name, labels } } });
    }
    const tls = await certificateUntil(new Date(Date.now() + 2 * day + 3600_000), 'db.dash-ml.svc');
    keyPem = tls.key;
    const dockerConfig = JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from(`robot:${markers.registry}`).toString('base64') } } });
    // No webhook is registered in this control plane: the broken credential is stored as written.
    const secrets: V1Secret[] = [
      credential(ML, 'hf-token', 'huggingface', { token: markers.hf }, { annotations: { 'credinject.dev/description': 'Hugging Face read token' } }),
      credential(ML, 's3-readonly', 'aws', { access_key_id: markers.awsKey, secret_access_key: markers.awsSecret }, { annotations: { 'credinject.dev/description': 'training data bucket' } }),
      credential(ML, 'broken-aws', 'aws', { access_key_id: markers.awsKey }),
      credential(ML, 'db-tls', 'tls', { 'tls.crt': tls.cert, 'tls.key': tls.key }, { secretType: 'kubernetes.io/tls' }),
      credential(ML, 'registry', 'docker-registry', { '.dockerconfigjson': dockerConfig }, { secretType: 'kubernetes.io/dockerconfigjson' }),
      credential(INJECTOR, 'hf-shared', 'huggingface', { token: markers.shared }, {
        labels: { 'credinject.dev/scope': 'cluster' },
        annotations: { 'credinject.dev/namespace-selector': 'team=ml' },
      }),
      // The copy the mirror controller would write in dash-ml; dash-web has none yet: propagating.
      credential(ML, 'hf-shared', 'huggingface', { token: markers.shared }, {
        labels: { 'credinject.dev/mirror': 'true' },
        annotations: { 'credinject.dev/mirrored-from': `${INJECTOR}/hf-shared`, 'credinject.dev/mirror-hash': 'sha256:not-checked-here' },
      }),
    ];
    for (const body of secrets) await core.createNamespacedSecret({ namespace: body.metadata!.namespace!, body });
    await cp.kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: ML,
      body: {
        metadata: { name: 'trainer' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'trainer' } },
          template: {
            metadata: { labels: { app: 'trainer' }, annotations: { 'credinject.dev/inject': 's3-readonly' } },
            spec: { containers: [{ name: 'main', image: 'registry.example.com/trainer:1' }] },
          },
        },
      },
    });
    // Staleness: the digest key Secret, and a bare Pod injected (as the webhook records it) while
    // s3-readonly held an older secret_access_key, taking it as env: stale, naming the key.
    await core.createNamespacedSecret({ namespace: INJECTOR, body: { metadata: { name: 'credinject-digest-key' }, data: { key: digestKey.toString('base64') } } });
    const olderData = { metadata: { namespace: ML, name: 's3-readonly' }, data: { access_key_id: Buffer.from(markers.awsKey).toString('base64'), secret_access_key: Buffer.from(markers.oldSecret).toString('base64') } };
    staleVersion = versionDigest(keyDigests(olderData, digestKey), ['secret_access_key']);
    await cp.waitForDefaultServiceAccount(ML, 30_000);
    await core.createNamespacedPod({
      namespace: ML,
      body: {
        metadata: { name: 'stale-pod', annotations: { 'credinject.dev/versions': `s3-readonly=${staleVersion}` } },
        spec: { containers: [{ name: 'main', image: 'registry.example.com/trainer:1', env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-readonly', key: 'secret_access_key' } } }] }] },
      },
    });
    dashboard = await startDashboard(['--kubeconfig', cp.kubeconfigPath, '-A', '--digest-key-secret', `${INJECTOR}/credinject-digest-key`]);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('response', (response) => {
      if (response.request().resourceType() === 'eventsource') return; // a stream never ends; its events carry only a version
      void response.text().then(
        (text) => responses.push(text),
        () => undefined,
      );
    });
    await page.goto(dashboard.url);
    await waitForRows('the credentials in the table', (ids) => ids.includes(`${ML}/s3-readonly`) && ids.includes(`${INJECTOR}/hf-shared`));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await cp?.stop();
  }, 60_000);

  it.each([
    [`${ML}/hf-token`, 'valid'],
    [`${ML}/s3-readonly`, 'valid'],
    [`${ML}/registry`, 'valid'],
    [`${ML}/broken-aws`, 'issues found'],
    [`${ML}/db-tls`, 'expires in 2d'],
    [`${INJECTOR}/hf-shared`, 'propagating'],
    [`${ML}/hf-shared`, 'valid'],
  ])('shows %s as %s', async (id, status) => {
    await pollUntil(`status of ${id}`, async () => ((await statusOf(id)) === status ? true : undefined), 20_000);
  });

  it('shows scope, use count and creator', async () => {
    const cells = async (id: string) => page.locator(`#rows tr[data-id="${id}"] > *`).allTextContents();
    // The Deployment, and the ReplicaSet and Pod the controller manager makes from it.
    const inUse = async () => Number(await page.locator(`#rows tr[data-id="${ML}/s3-readonly"] td.num`).first().textContent());
    await pollUntil('the Deployment and what it made counted as users', async () => ((await inUse()) >= 2 ? true : undefined), 30_000);
    expect(Number(await page.locator(`#rows tr[data-id="${ML}/hf-token"] td.num`).first().textContent())).toBe(0);
    expect(await cells(`${INJECTOR}/hf-shared`)).toContain('cluster (team=ml)');
    expect(await cells(`${ML}/hf-shared`)).toContain(`mirror of ${INJECTOR}/hf-shared`);
    expect((await cells(`${ML}/hf-token`)).join(' ')).toMatch(/Hugging Face read token/);
    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: join(reports, 'dashboard-table.png'), fullPage: true });
  });

  it('narrows the rows by search, by type, and reorders them by a sort', async () => {
    await page.fill('#search', 's3');
    expect(await waitForRows('search results', (ids) => ids.length === 1)).toEqual([`${ML}/s3-readonly`]);
    await page.fill('#search', '');
    await page.selectOption('#filter-type', 'aws');
    expect((await waitForRows('aws rows', (ids) => ids.length === 2)).sort()).toEqual([`${ML}/broken-aws`, `${ML}/s3-readonly`]);
    await page.selectOption('#filter-type', '');
    const before = await waitForRows('all rows again', (ids) => ids.length >= 7);
    await page.click('button[data-sort="name"]'); // already by name: now descending
    const after = await waitForRows('rows sorted by name, descending', (ids) => ids[0] !== before[0]);
    expect(after).toEqual([...before].sort((a, b) => b.split('/')[1]!.localeCompare(a.split('/')[1]!) || b.localeCompare(a)));
    expect(await page.getAttribute('th:has(button[data-sort="name"])', 'aria-sort')).toBe('descending');
    await page.click('button[data-sort="name"]');
  });

  it('hides a column chosen away, and filters by keyboard', async () => {
    await page.click('.columns summary');
    await page.uncheck('input[data-column="createdBy"]');
    expect(await page.locator('button[data-sort="createdBy"]').count()).toBe(0);
    await page.check('input[data-column="createdBy"]');
    await page.click('.columns summary');
    await page.focus('#filter-status');
    await page.keyboard.press('ArrowDown'); // valid
    await page.keyboard.press('ArrowDown'); // issues found
    expect(await waitForRows('rows with issues', (ids) => ids.length === 1)).toEqual([`${ML}/broken-aws`]);
    await page.selectOption('#filter-status', '');
  });

  it('shows the detail with the Deployment as a user, and links to the user', async () => {
    await page.click(`#rows tr[data-id="${ML}/s3-readonly"] a`);
    await page.waitForSelector('#detail-view:not([hidden]) a[href^="#/user/"]');
    const text = (await page.textContent('#detail')) ?? '';
    expect(text).toContain('Deployment/trainer');
    expect(text).toContain('env AWS_SECRET_ACCESS_KEY');
    expect(text).toContain('Deployment/trainer — through credinject.dev/inject: env');
    expect(text).toContain('secret_access_key');
    await page.screenshot({ path: join(reports, 'dashboard-detail.png'), fullPage: true });
    await page.click('a[href="#/user/dash-ml/Deployment/trainer"]');
    await pollUntil('the user detail', async () => ((await page.textContent('#detail'))?.includes('Deployment dash-ml/trainer') ? true : undefined), 10_000);
    expect(await page.textContent('#detail')).toContain('s3-readonly');
    await page.goto(`${dashboard.origin}/#/credential/${INJECTOR}/hf-shared`);
    await pollUntil('the propagation of the cluster credential', async () => {
      const detail = (await page.textContent('#detail')) ?? '';
      return detail.includes(`${ML} — current`) && detail.includes(`${WEB} — missing`) ? true : undefined;
    }, 10_000);
    await page.click('#back');
  });

  it('shows in the Stale column how many users run an older version, and in the detail which key changed', async () => {
    const staleCell = (id: string) => page.locator(`#rows tr[data-id="${id}"] td.num`).nth(1);
    await pollUntil('the stale pod counted', async () => ((await staleCell(`${ML}/s3-readonly`).textContent()) === '1' ? true : undefined), 20_000);
    expect(await staleCell(`${ML}/s3-readonly`).getAttribute('data-stale')).toBe('true');
    expect(await staleCell(`${ML}/hf-token`).textContent()).toBe('0');
    expect(await page.locator('#notices').textContent()).not.toContain('staleness');
    await page.goto(`${dashboard.origin}/#/credential/${ML}/s3-readonly`);
    await pollUntil('the detail with the stale pod', async () => ((await page.textContent('#detail'))?.includes('Pod/stale-pod') ? true : undefined), 10_000);
    const text = (await page.textContent('#detail')) ?? '';
    expect(text).toContain('Stale1 of ');
    expect(text).toContain('Pod/stale-pod — direct reference in its spec — stale: secret_access_key changed');
    expect(await page.locator('.version[data-version="stale"]').count()).toBe(1);
    const everything = [await page.content(), ...responses].join('\n');
    for (const secretText of [digestKey.toString('base64'), digestKey.toString('hex'), staleVersion, markers.oldSecret]) expect(everything).not.toContain(secretText);
    await page.click('#back');
  });

  it('adds a new credential to the table without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'same page'));
    await core.createNamespacedSecret({ namespace: WEB, body: credential(WEB, 'late-arrival', 'huggingface', { token: markers.late }) });
    await waitForRows('the new credential', (ids) => ids.includes(`${WEB}/late-arrival`));
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe('same page');
  });

  it('refuses requests without the token, and Host names that are not loopback', async () => {
    const api = `${dashboard.origin}/api/credentials`;
    expect((await get(api)).status).toBe(403);
    expect((await get(dashboard.origin + '/')).status).toBe(403);
    const rebinding = await get(`${api}?${new URL(dashboard.url).searchParams}`, { Host: `attacker.example:${new URL(dashboard.url).port}` });
    expect(rebinding.status).toBe(403);
    expect((await get(`${api}?${new URL(dashboard.url).searchParams}`)).status).toBe(200);
  });

  it('never lets a marker value reach the HTML, the scripts data or a response', async () => {
    const html = await page.content();
    const data = await page.evaluate(async () => JSON.stringify(await (await fetch('/api/credentials')).json()));
    const keyBody = keyPem.split('\n')[1]!;
    const everything = [html, data, ...responses];
    expect(responses.length).toBeGreaterThan(3);
    for (const value of [...Object.values(markers), keyBody, Buffer.from(markers.hf).toString('base64')]) {
      for (const text of everything) expect(text).not.toContain(value);
    }
    expect(everything.join('\n')).not.toContain('last-applied-configuration');
    expect(everything.join('\n')).not.toContain('not-checked-here');
  });

  it('shows namespaces the user may not list as forbidden, and only what they may', async () => {
    // A ServiceAccount allowed everything in dash-ml and to list Namespaces, nothing in dash-web.
    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await core.createNamespacedServiceAccount({ namespace: ML, body: { metadata: { name: 'viewer' } } });
    const subject = [{ kind: 'ServiceAccount', name: 'viewer', namespace: ML }];
    await rbac.createClusterRole({ body: { metadata: { name: 'dash-namespaces' }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] }] } });
    await rbac.createClusterRoleBinding({ body: { metadata: { name: 'dash-namespaces' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dash-namespaces' }, subjects: subject } });
    await rbac.createNamespacedRole({ namespace: ML, body: { metadata: { name: 'viewer' }, rules: [{ apiGroups: ['', 'apps', 'batch'], resources: ['*'], verbs: ['list', 'watch'] }] } });
    await rbac.createNamespacedRoleBinding({ namespace: ML, body: { metadata: { name: 'viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'viewer' }, subjects: subject } });
    const token = (await core.createNamespacedServiceAccountToken({ namespace: ML, name: 'viewer', body: { spec: { audiences: [], expirationSeconds: 3600 } } })).status!.token;
    const kubeconfig = join(cp.dir, 'viewer.kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'e2e', cluster: { server: cp.apiServerUrl, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') } }],
        users: [{ name: 'viewer', user: { token } }],
        contexts: [{ name: 'viewer', context: { cluster: 'e2e', user: 'viewer' } }, { name: 'other', context: { cluster: 'e2e', user: 'nobody' } }],
        'current-context': 'other',
      }),
    );
    const viewer = await startDashboard(['--kubeconfig', kubeconfig, '--context', 'viewer', '-A']);
    try {
      const table = await pollUntil('the viewer table', async () => {
        const response = await get(`${viewer.origin}/api/credentials?${new URL(viewer.url).searchParams}`, {});
        const body = JSON.parse(response.body) as { synced: boolean; rows: { id: string }[]; notices: { namespace: string; resources: string[] }[] };
        return body.synced && body.rows.length > 0 ? body : undefined;
      }, 30_000);
      expect(new Set(table.rows.map((row) => row.id.split('/')[0]))).toEqual(new Set([ML]));
      expect(table.notices.find((notice) => notice.namespace === WEB)?.resources).toContain('secrets');
      expect(table.notices.find((notice) => notice.namespace === ML)).toBeUndefined();
    } finally {
      await viewer.stop();
    }
  });
});
