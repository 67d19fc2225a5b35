/**
 * The view of the cluster when the connection to the API server goes bad without breaking (issue
 * 11): the server talks to the real kube-apiserver through a TCP fault proxy (harness/faultProxy.ts)
 * that can stop moving bytes with TCP up. With `--watch-silence-timeout 4`:
 * - a credential created while the open watches are stalled is seen within the bound (it took
 *   747 s before: the 10-minute watchdog);
 * - while every connection is stalled, /readyz says not ready and a DELETE of a credential the
 *   view cannot see the users of is refused UsageViewRefreshing (it was allowed);
 * - on SIGTERM while the API server "accepts and never answers", the process exits within the
 *   shutdown delay plus a second (it never exited: one pending request per informer).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { startFaultProxy, type FaultProxy } from './harness/faultProxy.js';
import { apiErrorOf, createExampleCredentials, createTestNamespace, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { registerWebhooks } from './harness/webhooks.js';

announceSkip('stale watch');

const silenceSeconds = 4;
const shutdownDelaySeconds = 1;

describe.skipIf(skipE2E)('a stalled connection to the API server', () => {
  let cp: ControlPlane;
  let proxy: FaultProxy;
  let server: CredinjectServer;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    const api = new URL(cp.apiServerUrl);
    proxy = await startFaultProxy({ host: api.hostname, port: Number(api.port) });
    // The admin kubeconfig, but through the proxy (the certificate names 127.0.0.1, any port).
    const kubeconfigPath = join(cp.dir, 'through-proxy.kubeconfig');
    writeFileSync(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'proxy', cluster: { server: `https://127.0.0.1:${proxy.port}`, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') } }],
        users: [{ name: 'admin', user: { token: cp.adminToken } }],
        contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'admin' } }],
        'current-context': 'proxy',
      }),
      { mode: 0o600 },
    );
    server = await startCredinjectServer(cp, {
      kubeconfigPath,
      extraArgs: ['--watch-silence-timeout', String(silenceSeconds), '--shutdown-delay', String(shutdownDelaySeconds)],
    });
    await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem! });
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    apps = cp.kubeConfig.makeApiClient(AppsV1Api);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await cp?.stop();
  }, 60_000);

  afterEach((ctx) => {
    proxy?.resume();
    if (ctx.task.result?.state === 'fail' && server) console.error(`--- credinject log (tail) ---\n${server.logTail(30)}`);
  });

  const readyz = async () => {
    const res = await fetch(`http://127.0.0.1:${server.metricsPort}/readyz`);
    return { status: res.status, text: await res.text() };
  };
  const dryRunDelete = (namespace: string, name: string) => core.deleteNamespacedSecret({ namespace, name, dryRun: 'All' }).then(() => undefined, apiErrorOf);

  it('sees a credential created while its watches are stalled within the silence bound', async () => {
    const namespace = await createTestNamespace(cp, 'stall');
    proxy.stallOpen();
    await createExampleCredentials(cp.kubeConfig, namespace, ['aws-s3']);
    const created = Date.now();
    await waitForCredentialsCached(cp.kubeConfig, namespace, ['aws-s3'], 30_000);
    const seenAfterMs = Date.now() - created;
    console.info(`stalled watch: credential seen after ${seenAfterMs} ms (silence bound ${silenceSeconds} s)`);
    // The bound, one check interval, the retry delay and the relist: well under twice the bound.
    expect(seenAfterMs).toBeLessThan(2 * silenceSeconds * 1000 + 2000);
    const metrics = await server.metrics();
    expect(metrics).toMatch(/credinject_informer_restarts_total\{resource="secrets"\} [1-9]/);
    expect(metrics).toMatch(/credinject_informer_last_event_age_seconds\{resource="pods"\} \d/);
  });

  it('is not ready and refuses a DELETE it cannot check while every connection is stalled, and recovers', async () => {
    const namespace = await createTestNamespace(cp, 'stall-all');
    await createExampleCredentials(cp.kubeConfig, namespace, ['hf-token']);
    await waitForCredentialsCached(cp.kubeConfig, namespace, ['hf-token']);
    await pollUntil('ready', async () => ((await readyz()).status === 200 ? true : undefined), 30_000);
    proxy.stallAll();
    // A Deployment that uses the credential, made while the server cannot see it.
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'uses-hf' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'uses-hf' } },
          template: {
            metadata: { labels: { app: 'uses-hf' }, annotations: { 'credinject.dev/inject': 'hf-token' } },
            spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
          },
        },
      },
    });
    const notReady = await pollUntil('not ready while stalled', async () => {
      const res = await readyz();
      return res.status === 503 ? res.text : undefined;
    }, 30_000);
    expect(notReady).toContain('caches not synced, watch restarting');
    const refused = await dryRunDelete(namespace, 'hf-token');
    expect(refused?.message).toContain('is being refreshed');
    expect(refused?.message).toContain('retry shortly');
    // The reason is in the audit line (status.reason of an answer is always Forbidden).
    const audit = server.logRecords().filter((r) => r['msg'] === 'admission' && r['operation'] === 'DELETE' && r['namespace'] === namespace);
    expect(audit.at(-1)?.['reason']).toBe('UsageViewRefreshing');

    proxy.resume();
    await pollUntil('ready again', async () => ((await readyz()).status === 200 ? true : undefined), 30_000);
    // Once the view caught up, the Deployment is a known user.
    const inUse = await pollUntil('the Deployment seen as a user', async () => {
      const err = await dryRunDelete(namespace, 'hf-token');
      return err?.message.includes('Deployment/uses-hf') ? err : undefined;
    }, 30_000);
    expect(inUse.message).toContain('credential "hf-token" is used by');
  });

  it('exits on SIGTERM within the shutdown delay plus a second while the API server accepts and never answers', async () => {
    proxy.stallAll();
    await pollUntil('not ready while stalled', async () => ((await readyz()).status === 503 ? true : undefined), 30_000);
    expect(proxy.connections()).toBeGreaterThan(0);
    const signalled = Date.now();
    const code = await server.stop();
    const exitedAfterMs = Date.now() - signalled;
    console.info(`SIGTERM with a hung API server: exited after ${exitedAfterMs} ms (shutdown delay ${shutdownDelaySeconds} s)`);
    expect(code).toBe(0);
    expect(exitedAfterMs).toBeLessThan(shutdownDelaySeconds * 1000 + 1000);
    // The requests were aborted; the exit backstop was not what ended the process.
    expect(server.logTail(20)).not.toContain('still open');
  });
});
