import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run, type ListIo } from '../../src/cli/list.js';
import { ageOf as age } from '../../src/contract/humanDuration.js';
import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import { listCredentials } from '../../src/view/clusterSnapshot.js';
import { readDigestKey } from '../../src/view/digestKeyAccess.js';
import { certificateUntil } from '../fixtures/expiringMaterial.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const created = '2026-11-28T07:00:00Z';
const now = new Date('2026-12-01T07:00:00Z');

const secret = (namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}, annotations?: Record<string, string>) => ({
  metadata: { name, namespace, creationTimestamp: created, labels: { 'credinject.dev/type': 'aws', ...labels }, ...(annotations ? { annotations } : {}) },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});
const annotated = (namespace: string, name: string, inject: string, template = false) => {
  const annotations = { 'credinject.dev/inject': inject };
  return template
    ? { metadata: { name, namespace }, spec: { template: { metadata: { annotations }, spec: { containers: [] } } } }
    : { metadata: { name, namespace, annotations }, spec: { containers: [] } };
};

const digestKeyPath = '/api/v1/namespaces/credinject-system/secrets/credinject-digest-key';

/**
 * Just enough of an API server for `credinject list`: fixed lists per path, checked selector; one
 * object per path in `objects` (a number answers with that status), 404 for any other named Secret.
 */
async function fakeCluster(lists: Record<string, object[]>, objects: Record<string, object | number> = {}) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${url.pathname}?${url.searchParams.get('labelSelector') ?? ''}`);
    const object = objects[url.pathname] ?? (/\/secrets\/[^/]+$/.test(url.pathname) ? 404 : undefined);
    if (typeof object === 'number') {
      res.writeHead(object, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: object, reason: object === 403 ? 'Forbidden' : 'NotFound', message: 'no' }));
      return;
    }
    if (object) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(object));
      return;
    }
    const items = lists[url.pathname] ?? [];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ metadata: { resourceVersion: '1' }, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = await mkdtemp(join(tmpdir(), 'credinject-list-'));
  const kubeconfig = join(dir, 'config');
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${(server.address() as { port: number }).port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'ml' } }],
      'current-context': 'x',
    }),
  );
  cleanups.push(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { kubeconfig, seen };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function capture(): ListIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    now: () => now,
    collect: listCredentials,
    digestKey: readDigestKey,
    out: () => out,
    err: () => err,
  };
}

const mlLists = {
  '/api/v1/namespaces/ml/secrets': [
    secret('ml', 'aws-s3', { access_key_id: 'AKIA-LIST-MARKER', secret_access_key: 'x' }),
    // Cluster-scoped, so it names the namespaces it is for; what is broken is its data.
    secret('ml', 'broken', { access_key_id: 'AKIA-LIST-MARKER' }, { 'credinject.dev/scope': 'cluster' }, { 'credinject.dev/namespace-selector': 'team=ml' }),
  ],
  '/api/v1/namespaces/ml/pods': [annotated('ml', 'web-abc', 'aws-s3'), annotated('ml', 'plain', '')],
  '/apis/apps/v1/namespaces/ml/deployments': [annotated('ml', 'web', 'aws-s3', true)],
  '/apis/batch/v1/namespaces/ml/cronjobs': [],
};

describe('credinject list', () => {
  it('prints NAME, NAMESPACE, TYPE, SCOPE, STATUS, IN-USE, STALE, AGE for the context namespace', async () => {
    const cluster = await fakeCluster(mlLists);
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig], io)).toBe(0);
    expect(io.out()).toBe(
      [
        'NAME     NAMESPACE   TYPE   SCOPE       STATUS                                                  IN-USE   STALE   AGE',
        'aws-s3   ml          aws    namespace   valid                                                   2        ?       3d',
        'broken   ml          aws    cluster     missing required key "secret_access_key" for type aws   0        0       3d',
        '',
      ].join('\n'),
    );
    expect(cluster.seen).toContain('/api/v1/namespaces/ml/secrets?credinject.dev/type');
    expect(io.out()).not.toContain('MARKER');
  });

  it('shows "expires in 3d" and "expired" as the STATUS of valid credentials near or past their expiry', async () => {
    const day = 24 * 60 * 60 * 1000;
    const [soon, old, later] = await Promise.all([3 * day, -1 * day, 90 * day].map((offset) => certificateUntil(new Date(now.getTime() + offset))));
    const tls = (name: string, pair: { cert: string; key: string }) => ({
      ...secret('ml', name, { 'tls.crt': pair.cert, 'tls.key': pair.key }, { 'credinject.dev/type': 'tls' }),
      type: 'kubernetes.io/tls',
    });
    const cluster = await fakeCluster({ ...mlLists, '/api/v1/namespaces/ml/secrets': [tls('db-soon', soon!), tls('db-old', old!), tls('db-later', later!)] });
    const io = capture();
    await run(['--kubeconfig', cluster.kubeconfig, '-o', 'json'], io);
    const rows = JSON.parse(io.out()) as { name: string; status: string; expiresAt: string }[];
    expect(rows.map((r) => [r.name, r.status])).toEqual([
      ['db-later', 'valid'],
      ['db-old', 'expired'],
      ['db-soon', 'expires in 3d'],
    ]);
    expect(rows[0]!.expiresAt).toBe('2027-03-01T07:00:00.000Z');
  });

  it('shows a mirror of a cluster credential as such', async () => {
    const mirror = secret('ml', 'hf', { token: 't' }, { 'credinject.dev/type': 'huggingface', 'credinject.dev/mirror': 'true' }, { 'credinject.dev/mirrored-from': 'credinject-system/hf' });
    const cluster = await fakeCluster({ ...mlLists, '/api/v1/namespaces/ml/secrets': [mirror] });
    const io = capture();
    await run(['--kubeconfig', cluster.kubeconfig, '-o', 'json', '-n', 'ml'], io);
    expect((JSON.parse(io.out()) as { scope: string }[]).map((r) => r.scope)).toEqual(['mirror of credinject-system/hf']);
  });

  it('writes JSON with -o json, users included', async () => {
    const cluster = await fakeCluster(mlLists);
    const io = capture();
    await run(['--kubeconfig', cluster.kubeconfig, '-o', 'json', '-n', 'ml'], io);
    const rows = JSON.parse(io.out()) as { name: string; inUse: number; usedBy: string[]; status: string }[];
    expect(rows.map((r) => [r.name, r.inUse, r.usedBy])).toEqual([
      ['aws-s3', 2, ['Deployment/web', 'Pod/web-abc']],
      ['broken', 0, []],
    ]);
  });

  it('lists every namespace with -A through the cluster-wide endpoints', async () => {
    const cluster = await fakeCluster({
      '/api/v1/secrets': [secret('a', 'one', { access_key_id: 'x', secret_access_key: 'y' }), secret('b', 'one', { access_key_id: 'x', secret_access_key: 'y' })],
      '/api/v1/pods': [annotated('b', 'p', 'one')],
    });
    const io = capture();
    await run(['--kubeconfig', cluster.kubeconfig, '-A', '-o', 'json'], io);
    const rows = JSON.parse(io.out()) as { namespace: string; inUse: number }[];
    expect(rows.map((r) => [r.namespace, r.inUse])).toEqual([['a', 0], ['b', 1]]);
  });

  describe('kubectl output formats', () => {
    const managed = (name: string, manager: string, extra: object = {}) => ({
      ...secret('ml', name, { access_key_id: 'AKIA-LIST-MARKER', secret_access_key: 'x' }, {}, { 'credinject.dev/description': 'S3 read-only for the\nvision team', 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":"LAST-APPLIED-MARKER"}' }),
      ...extra,
    });
    const withFields = (name: string, fields: { manager: string; time: string }[]) => {
      const s = managed(name, '');
      return { ...s, metadata: { ...s.metadata, managedFields: fields.map((f) => ({ ...f, operation: 'Update', apiVersion: 'v1' })) } };
    };
    const lists = () => ({
      ...mlLists,
      '/api/v1/namespaces/ml/secrets': [
        withFields('aws-s3', [
          { manager: 'kube-controller-manager', time: '2026-11-30T00:00:00Z' },
          { manager: 'kubectl-create', time: '2026-11-28T07:00:00Z' },
        ]),
        withFields('bare', []),
      ],
    });

    it('-o wide adds DESCRIPTION, CREATED BY (the first field manager) and KEYS', async () => {
      const cluster = await fakeCluster(lists());
      const io = capture();
      expect(await run(['--kubeconfig', cluster.kubeconfig, '-o', 'wide'], io)).toBe(0);
      const [header, first, second] = io.out().split('\n');
      expect(header).toMatch(/^NAME +NAMESPACE +TYPE +SCOPE +STATUS +IN-USE +STALE +AGE +DESCRIPTION +CREATED BY +KEYS$/);
      expect(first).toMatch(/^aws-s3 +ml +aws +namespace +valid +2 +\? +3d +S3 read-only for the vision team +kubectl-create +access_key_id,secret_access_key$/);
      expect(second).toMatch(/^bare .* vision team +<none> +access_key_id,secret_access_key$/);
      expect(io.out()).not.toContain('MARKER');
    });

    it.each([
      ['yaml', (out: string) => expect(out).toMatch(/^- name: aws-s3\n {2}namespace: ml\n/)],
      ['name', (out: string) => expect(out).toBe('secret/aws-s3\nsecret/bare\n')],
      ['json', (out: string) => expect(JSON.parse(out)[0]).toMatchObject({ name: 'aws-s3', createdBy: 'kubectl-create', keys: ['access_key_id', 'secret_access_key'] })],
    ])('-o %s', async (format, check) => {
      const cluster = await fakeCluster(lists());
      const io = capture();
      expect(await run(['--kubeconfig', cluster.kubeconfig, '-o', format], io)).toBe(0);
      check(io.out());
      expect(io.out()).not.toContain('MARKER');
    });
  });

  it.each([
    [['-l', 'team=vision'], 'credinject.dev/type,team=vision'],
    [['--type', 'aws'], 'credinject.dev/type=aws'],
    [['--type', 'tls', '--selector', 'env in (prod)'], 'credinject.dev/type=tls,env in (prod)'],
  ])('narrows the Secret list with %j', async (args, selector) => {
    const cluster = await fakeCluster(mlLists);
    expect(await run(['--kubeconfig', cluster.kubeconfig, ...args], capture())).toBe(0);
    expect(cluster.seen).toContain(`/api/v1/namespaces/ml/secrets?${selector}`);
  });

  it('uses the namespace and cluster of --context', async () => {
    const cluster = await fakeCluster({ '/api/v1/namespaces/staging/secrets': [secret('staging', 'only-here', { access_key_id: 'x', secret_access_key: 'y' })] });
    const config = JSON.parse(await readFile(cluster.kubeconfig, 'utf8'));
    config.contexts.push({ name: 'staging', context: { cluster: 'c', user: 'u', namespace: 'staging' } });
    await writeFile(cluster.kubeconfig, JSON.stringify(config));
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig, '--context', 'staging', '-o', 'name'], io)).toBe(0);
    expect(io.out()).toBe('secret/only-here\n');
  });

  it('names the contexts when --context names none of them', async () => {
    const cluster = await fakeCluster(mlLists);
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig, '--context', 'prod'], io)).toBe(1);
    expect(io.err()).toBe('credinject list: context "prod" is not in the kubeconfig (contexts: x)\n');
  });

  it.each([
    [['-o', 'xml'], '-o must be table, wide, json, yaml, name'],
    [['--type', 'vault'], '--type must be one of'],
    [['-l', 'a=(b'], '-l:'],
    [['-A', '-n', 'x'], 'not both'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j with exit 2', async (args, message) => {
    const io = capture();
    expect(await run(args, io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('exits 1 with one line when the cluster cannot be reached', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credinject-list-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const kubeconfig = join(dir, 'config');
    await writeFile(kubeconfig, JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
    const io = capture();
    expect(await run(['--kubeconfig', kubeconfig], io)).toBe(1);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });
});

describe('credinject list: STALE', () => {
  const digestKey = Buffer.alloc(32, 7);
  const keySecret = { metadata: { name: 'credinject-digest-key', namespace: 'credinject-system' }, data: { key: digestKey.toString('base64') } };
  const oldData = { access_key_id: 'AKIA-STALE-MARKER', secret_access_key: 'OLD-SECRET-MARKER' };
  const newData = { ...oldData, secret_access_key: 'NEW-SECRET-MARKER' };
  const credential = secret('ml', 'aws-s3', newData);
  /** The version the webhook recorded when the pod was injected with `data`, over the keys it takes as env. */
  const digestsOf = (data: Record<string, string>) => keyDigests({ metadata: { namespace: 'ml', name: 'aws-s3' }, data: secret('ml', 'aws-s3', data).data }, digestKey);
  const recorded = (data: Record<string, string>, keys: string[]) => versionDigest(digestsOf(data), keys);
  const envPod = (name: string, data: Record<string, string>) => ({
    metadata: {
      name,
      namespace: 'ml',
      annotations: { 'credinject.dev/versions': `aws-s3=${recorded(data, ['secret_access_key'])}` },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'u', controller: true }],
    },
    spec: { containers: [{ name: 'c', env: [{ name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } }] }] },
  });
  const filesPod = {
    metadata: { name: 'files', namespace: 'ml', annotations: { 'credinject.dev/versions': `aws-s3=${recorded(oldData, ['access_key_id', 'secret_access_key'])}` } },
    spec: { containers: [{ name: 'c' }], volumes: [{ name: 'v', secret: { secretName: 'aws-s3' } }] },
  };
  const lists = {
    '/api/v1/namespaces/ml/secrets': [credential],
    '/api/v1/namespaces/ml/pods': [envPod('web-abc-old', oldData), envPod('web-abc-new', newData), filesPod],
    '/apis/apps/v1/namespaces/ml/replicasets': [{ metadata: { name: 'web-abc', namespace: 'ml', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true }] }, spec: { template: { spec: { containers: [] } } } }],
  };

  it('counts the stale users and gives each user its standing in -o json, key names only', async () => {
    const cluster = await fakeCluster(lists, { [digestKeyPath]: keySecret });
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig, '-o', 'json'], io)).toBe(0);
    const [row] = JSON.parse(io.out()) as { stale: number | null; staleness: object[] }[];
    expect(row!.staleness).toEqual([
      { kind: 'Pod', name: 'files', state: 'refreshing' },
      { kind: 'Pod', name: 'web-abc-new', state: 'current' },
      { kind: 'Pod', name: 'web-abc-old', state: 'stale', changedKeys: ['secret_access_key'], exact: true },
    ]);
    expect(row!.stale).toBe(1);
    expect(io.err()).toBe('');
    const printed = io.out() + io.err();
    expect(printed).not.toContain('MARKER');
    for (const digest of [digestKey.toString('base64'), ...Object.values(digestsOf(newData)), recorded(oldData, ['secret_access_key'])]) expect(printed).not.toContain(digest);
  });

  it('shows the count in the STALE column', async () => {
    const cluster = await fakeCluster(lists, { [digestKeyPath]: keySecret });
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig], io)).toBe(0);
    expect(io.out().split('\n')[1]).toMatch(/^aws-s3 +ml +aws +namespace +valid +3 +1 +3d$/);
  });

  it('reads the Secret --digest-key-secret names', async () => {
    const cluster = await fakeCluster(lists, { '/api/v1/namespaces/ops/secrets/dk': keySecret });
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig, '-o', 'json', '--digest-key-secret', 'ops/dk'], io)).toBe(0);
    expect((JSON.parse(io.out()) as { stale: number }[])[0]!.stale).toBe(1);
  });

  it.each([
    [403, 'credinject list: staleness is unknown ("?"): forbidden to get Secret credinject-system/credinject-digest-key; a Role in namespace credinject-system with the rule {apiGroups: [""], resources: ["secrets"], resourceNames: ["credinject-digest-key"], verbs: ["get"]}, bound to you, allows it\n'],
    [404, 'credinject list: staleness is unknown ("?"): Secret credinject-system/credinject-digest-key (the digest key) not found; it exists once serve runs with rotation enabled (--digest-key-secret names another)\n'],
  ])('without the digest key (HTTP %i) shows "?" and one notice naming the Secret', async (status, notice) => {
    const cluster = await fakeCluster(lists, { [digestKeyPath]: status });
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig], io)).toBe(0);
    expect(io.out().split('\n')[1]).toMatch(/^aws-s3 +ml +aws +namespace +valid +3 +\? +3d$/);
    expect(io.err()).toBe(notice);
  });

  it('says nothing about the digest key for credentials nobody uses', async () => {
    const cluster = await fakeCluster({ '/api/v1/namespaces/ml/secrets': [credential] }, { [digestKeyPath]: 403 });
    const io = capture();
    expect(await run(['--kubeconfig', cluster.kubeconfig], io)).toBe(0);
    expect(io.err()).toBe('');
  });

  it('rejects a malformed --digest-key-secret with exit 2', async () => {
    const io = capture();
    expect(await run(['--digest-key-secret', 'a/b/c'], io)).toBe(2);
    expect(io.err()).toBe('credinject list: --digest-key-secret must be [namespace/]name, not "a/b/c"\n');
  });
});

describe('age', () => {
  it.each([
    ['2026-12-01T06:59:30Z', '30s'],
    ['2026-12-01T06:30:00Z', '30m'],
    ['2026-11-30T07:00:00Z', '24h'],
    ['2026-11-01T07:00:00Z', '30d'],
    ['2023-12-01T07:00:00Z', '3y1d'],
    ['2026-11-27T02:00:00Z', '4d5h'],
    [undefined, '<unknown>'],
  ])('shows %s as %s', (createdAt, expected) => {
    expect(age(createdAt, now)).toBe(expected);
  });
});
