/**
 * Cluster-scoped credentials against a real kube-apiserver: `serve --mirror-cluster-credentials
 * --namespace credinject-system` elects itself with a real Lease and copies a credential of
 * credinject-system into the namespaces its selector picks; the copies then go through the same
 * webhooks as any Secret (validation, deletion protection, injection). Everything polls with a deadline.
 */
import { CoordinationV1Api, CoreV1Api, type V1Secret } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { keyedMirrorHash, mirrorDataHash } from '../../src/mirror/mirrorSecret.js';

import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { apiErrorOf, containerOf, isNotFound, podRequesting, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { registerWebhooks, type RegisteredWebhooks } from './harness/webhooks.js';

announceSkip('mirroring');

const INJECTOR = 'credinject-system';
const NAME = 'hf-shared';
const TOKEN = 'hf_e2e_mirror_token_must_never_be_logged';
const mirrorArgs = ['--mirror-cluster-credentials', '--mirror-resync', '2'];

describe.skipIf(skipE2E)('cluster credentials mirrored by the Lease-elected replica', () => {
  let cp: ControlPlane;
  let server: CredinjectServer;
  let webhooks: RegisteredWebhooks;
  let core: CoreV1Api;
  const extraServers: CredinjectServer[] = [];

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    // The injector's namespace exists before the server starts (the Lease and the sources live there).
    await core.createNamespace({ body: { metadata: { name: INJECTOR } } });
    // kube-system selected too: it must still never get a mirror.
    await core.patchNamespace({ name: 'kube-system', body: [{ op: 'add', path: '/metadata/labels/team', value: 'ml' }] });
    server = await startCredinjectServer(cp, { logName: 'credinject-mirror', extraArgs: mirrorArgs });
    webhooks = await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem! });
    // Created through the webhook, which now sees the injector's namespace for credential Secrets.
    await core.createNamespacedSecret({
      namespace: INJECTOR,
      body: {
        metadata: {
          name: NAME,
          labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' },
          annotations: {
            'credinject.dev/namespace-selector': 'team=ml,env notin (frozen)',
            'credinject.dev/description': 'shared Hugging Face token',
            'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"token":"${TOKEN}"}}`,
          },
        },
        stringData: { token: TOKEN },
      },
    });
  }, 180_000);

  afterAll(async () => {
    for (const extra of extraServers) await extra.stop();
    await server?.stop();
    await cp?.stop();
  }, 90_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') {
      console.error(`--- credinject log (tail) ---\n${server.logTail(40)}\n--- kube-apiserver log (tail) ---\n${cp.logTail('kube-apiserver', 15)}`);
    }
  });

  async function labelledNamespace(prefix: string, labels: Record<string, string>): Promise<string> {
    const name = `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    await core.createNamespace({ body: { metadata: { name, labels } } });
    await cp.waitForDefaultServiceAccount(name, 30_000);
    return name;
  }

  const readSecret = (namespace: string): Promise<V1Secret | undefined> =>
    core.readNamespacedSecret({ namespace, name: NAME }).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });

  const waitForMirror = (namespace: string, accept: (secret: V1Secret) => boolean = () => true, timeoutMs = 30_000): Promise<V1Secret> =>
    pollUntil(`the mirror of ${NAME} in ${namespace}`, async () => {
      const secret = await readSecret(namespace);
      return secret && accept(secret) ? secret : undefined;
    }, timeoutMs);

  const waitForNoMirror = (namespace: string, timeoutMs = 30_000): Promise<true> =>
    pollUntil(`${NAME} to be gone from ${namespace}`, async () => ((await readSecret(namespace)) === undefined ? true : undefined), timeoutMs);

  /** The value of a metric line `name{labels} value` of a server, 0 when absent. */
  async function metric(of: CredinjectServer, line: string): Promise<number> {
    const text = await of.metrics();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found ? Number(found.slice(line.length + 1)) : 0;
  }

  /** The digest key every replica shares, as the server made it in its namespace. */
  const sharedDigestKey = async (): Promise<Buffer> =>
    Buffer.from((await core.readNamespacedSecret({ namespace: INJECTOR, name: 'credinject-digest-key' })).data?.['key'] ?? '', 'base64');

  const decode = (secret: V1Secret, key: string): string => Buffer.from(secret.data?.[key] ?? '', 'base64').toString('utf8');

  it('leads with a real Lease in its namespace', async () => {
    const coordination = cp.kubeConfig.makeApiClient(CoordinationV1Api);
    const lease = await pollUntil('the credinject-leader Lease', () => coordination.readNamespacedLease({ namespace: INJECTOR, name: 'credinject-leader' }), 30_000);
    expect(lease.spec?.holderIdentity).toBeTruthy();
    expect(lease.spec?.leaseDurationSeconds).toBe(15);
    await pollUntil('the leader gauge', async () => ((await metric(server, 'credinject_mirror_leader')) === 1 ? true : undefined), 20_000);
  });

  it('mirrors the credential into a namespace labelled team=ml, as an ordinary namespaced credential, and nowhere else', async () => {
    const ml = await labelledNamespace('ml', { team: 'ml' });
    const web = await labelledNamespace('web', { team: 'web' });
    const frozen = await labelledNamespace('frozen', { team: 'ml', env: 'frozen' });
    const mirror = await waitForMirror(ml);
    expect(mirror.type).toBe('Opaque');
    expect(decode(mirror, 'token')).toBe(TOKEN);
    expect(mirror.metadata?.labels).toEqual({ 'credinject.dev/type': 'huggingface', 'credinject.dev/mirror': 'true' });
    expect(mirror.metadata?.annotations).toEqual({
      'credinject.dev/mirrored-from': `${INJECTOR}/${NAME}`,
      'credinject.dev/mirror-hash': keyedMirrorHash(NAME, mirror.data, await sharedDigestKey()),
      'credinject.dev/description': 'shared Hugging Face token',
    });
    // Keyed: neither the old unkeyed hash of the data nor a SHA-256 of the value.
    const hash = mirror.metadata!.annotations!['credinject.dev/mirror-hash']!;
    expect(hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(hash).not.toBe(mirrorDataHash(mirror.data));
    expect(hash).not.toContain(createHash('sha256').update(TOKEN).digest('hex'));
    // One reconcile writes every selected namespace: by now a wrong one would have its copy too.
    for (const namespace of [web, frozen, 'kube-system', 'default']) expect(await readSecret(namespace), namespace).toBeUndefined();
    expect(await metric(server, 'credinject_mirror_writes_total{operation="create",result="ok"}')).toBeGreaterThanOrEqual(1);
  });

  it('injects a Pod in a mirrored namespace from the mirror', async () => {
    const ml = await labelledNamespace('inject', { team: 'ml' });
    await waitForMirror(ml);
    await waitForCredentialsCached(cp.kubeConfig, ml, [NAME]);
    await core.createNamespacedPod({ namespace: ml, body: podRequesting('reader', NAME) });
    const pod = await core.readNamespacedPod({ namespace: ml, name: 'reader' });
    expect(containerOf(pod, 'app').env).toEqual(
      expect.arrayContaining([{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: NAME, key: 'token' } } }]),
    );
    expect(JSON.stringify(pod)).not.toContain(TOKEN);
  });

  it('keeps the mirror of a relabelled namespace while a Pod uses it (the webhook refuses), and removes it once unused', async () => {
    const ml = await labelledNamespace('relabel', { team: 'ml' });
    await waitForMirror(ml);
    await waitForCredentialsCached(cp.kubeConfig, ml, [NAME]);
    await core.createNamespacedPod({ namespace: ml, body: podRequesting('user', NAME) });
    await pollUntil(`deletion protection of ${ml}/${NAME}`, async () => {
      const err = await core.deleteNamespacedSecret({ namespace: ml, name: NAME, dryRun: 'All' }).then(() => undefined, apiErrorOf);
      return err?.message.includes('secrets.validate.credinject.dev') ? true : undefined;
    }, 30_000);
    const deniedBefore = await metric(server, 'credinject_mirror_writes_total{operation="delete",result="denied"}');

    await core.patchNamespace({ name: ml, body: [{ op: 'replace', path: '/metadata/labels/team', value: 'web' }] });
    await pollUntil('a refused delete of the mirror in use', async () => {
      const denied = await metric(server, 'credinject_mirror_writes_total{operation="delete",result="denied"}');
      return denied > deniedBefore ? true : undefined;
    }, 30_000);
    expect(await readSecret(ml)).toBeDefined();

    // Unscheduled pods go at once; the next resync (2 s) deletes the now unused mirror.
    await core.deleteNamespacedPod({ namespace: ml, name: 'user' });
    await waitForNoMirror(ml);
  });

  it('updates every mirror when the source’s data changes', async () => {
    const a = await labelledNamespace('update-a', { team: 'ml' });
    const b = await labelledNamespace('update-b', { team: 'ml' });
    const [before] = await Promise.all([waitForMirror(a), waitForMirror(b)]);
    const rotated = `${TOKEN}_rotated`;
    await core.patchNamespacedSecret({ namespace: INJECTOR, name: NAME, body: [{ op: 'add', path: '/stringData', value: { token: rotated } }] });
    for (const namespace of [a, b]) {
      const after = await waitForMirror(namespace, (secret) => decode(secret, 'token') === rotated);
      expect(after.metadata?.annotations?.['credinject.dev/mirror-hash']).not.toBe(before.metadata?.annotations?.['credinject.dev/mirror-hash']);
    }
    await core.patchNamespacedSecret({ namespace: INJECTOR, name: NAME, body: [{ op: 'add', path: '/stringData', value: { token: TOKEN } }] });
  });

  it('upgrades a mirror written with the old unkeyed hash by setting only its hash annotation, once, never rewriting its data', async () => {
    const ns = await labelledNamespace('legacy', { team: 'web' });
    // What an earlier version left behind: the source's data and metadata, the hash unkeyed.
    const source = await core.readNamespacedSecret({ namespace: INJECTOR, name: NAME });
    const legacy = await core.createNamespacedSecret({
      namespace: ns,
      body: {
        metadata: {
          name: NAME,
          labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/mirror': 'true' },
          annotations: {
            'credinject.dev/mirrored-from': `${INJECTOR}/${NAME}`,
            'credinject.dev/mirror-hash': mirrorDataHash(source.data),
            'credinject.dev/description': 'shared Hugging Face token',
            'example.com/owner': 'kept',
          },
        },
        type: 'Opaque',
        data: { ...source.data },
      },
    });
    await core.patchNamespace({ name: ns, body: [{ op: 'replace', path: '/metadata/labels/team', value: 'ml' }] });
    const rehashed = await waitForMirror(ns, (secret) => secret.metadata?.annotations?.['credinject.dev/mirror-hash']?.startsWith('hmac-sha256:') === true);
    expect(rehashed.metadata?.annotations).toEqual({ ...legacy.metadata?.annotations, 'credinject.dev/mirror-hash': keyedMirrorHash(NAME, source.data, await sharedDigestKey()) });
    expect(rehashed.data).toEqual(legacy.data);
    expect(rehashed.metadata?.labels).toEqual(legacy.metadata?.labels);
    // One write there, a rehash: the resourceVersion moved once and stays through two more resyncs (2 s).
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const later = await core.readNamespacedSecret({ namespace: ns, name: NAME });
    expect(later.metadata?.resourceVersion).toBe(rehashed.metadata?.resourceVersion);
    const written = server.logRecords().filter((r) => r.msg === 'mirror written' && r.namespace === ns).map((r) => r.operation);
    expect(written).toEqual(['rehash']);
    expect(await metric(server, 'credinject_mirror_writes_total{operation="rehash",result="ok"}')).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('restores a mirror whose data was edited by hand', async () => {
    const ml = await labelledNamespace('tamper', { team: 'ml' });
    await waitForMirror(ml, (secret) => decode(secret, 'token') === TOKEN);
    await core.patchNamespacedSecret({ namespace: ml, name: NAME, body: [{ op: 'add', path: '/stringData', value: { token: 'hf_tampered' } }] });
    await waitForMirror(ml, (secret) => decode(secret, 'token') === TOKEN);
  });

  it('leaves a namespaced Secret of the same name alone and reports the conflict', async () => {
    const ns = await labelledNamespace('own', { team: 'web' });
    await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: NAME, labels: { 'credinject.dev/type': 'huggingface' } }, stringData: { token: 'hf_team_own_token' } },
    });
    const own = await core.readNamespacedSecret({ namespace: ns, name: NAME });
    await waitForCredentialsCached(cp.kubeConfig, ns, [NAME]);
    await core.patchNamespace({ name: ns, body: [{ op: 'replace', path: '/metadata/labels/team', value: 'ml' }] });
    await pollUntil('the conflict to be reported', async () => {
      const logged = server.logRecords().some((r) => r.namespace === ns && r.reason === 'foreign-secret');
      return logged && (await metric(server, 'credinject_mirror_conflicts')) >= 1 ? true : undefined;
    }, 30_000);
    const after = await core.readNamespacedSecret({ namespace: ns, name: NAME });
    expect(after.metadata?.resourceVersion).toBe(own.metadata?.resourceVersion);
    expect(decode(after, 'token')).toBe('hf_team_own_token');
    expect(after.metadata?.labels?.['credinject.dev/mirror']).toBeUndefined();
  });

  it('never logs the credential’s value', () => {
    const log = server.logTail(100_000);
    expect(log).toContain('mirror written');
    expect(log).not.toContain(TOKEN);
  });

  it('hands over to a follower replica when the leader stops, through the released Lease', async () => {
    const follower = await startCredinjectServer(cp, { logName: 'credinject-mirror-2', extraArgs: mirrorArgs });
    extraServers.push(follower);
    expect(await metric(follower, 'credinject_mirror_leader')).toBe(0);
    await server.stop();
    // The follower must answer the webhooks now: the mirrors it writes pass through them.
    webhooks = await registerWebhooks(cp.kubeConfig, { url: follower.url, caPem: follower.caPem! });
    // Released, not expired: the follower's next try (5-6 s) takes it, well before 15 s + retry.
    await pollUntil('the follower to lead', async () => ((await metric(follower, 'credinject_mirror_leader')) === 1 ? true : undefined), 12_000);
    const ml = await labelledNamespace('after', { team: 'ml' });
    await waitForMirror(ml);
    expect(follower.logTail(100_000)).not.toContain(TOKEN);
  }, 60_000);
});
