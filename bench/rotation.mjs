// One credential consumed as env by N Deployments (default 1,000): the real rotation controller
// (dist/) against a stand-in API server in its own process (bench/rotationApiServer.mjs). After the
// informers sync, the credential's data changes (its keyed digests, as the view would hold them);
// measured: time from that change to the last restart patch, the write rate against the configured
// token bucket, and this process's RSS before and after. Quiet period 0 here: it only adds its own
// length. Usage: node bench/rotation.mjs [deployments] [qps] [burst]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Agent } from 'node:http';
import pino from 'pino';
import { keyDigests, versionDigest } from '../dist/credentials/keyDigests.js';
import { rotationBackgroundWriter } from '../dist/rotation/controller.js';
import { kubeApi } from '../dist/kube/kubeApi.js';
import { until } from './benchUtil.mjs';

const count = Number(process.argv[2] ?? 1000);
const qps = Number(process.argv[3] ?? 100);
const burst = Number(process.argv[4] ?? 10);
const digestKey = Buffer.alloc(32, 3);
const envKeys = ['access_key_id', 'secret_access_key'];
const secret = (value) => ({ metadata: { name: 'aws-s3', namespace: 'ml' }, stringData: { access_key_id: 'AKIAEXAMPLE', secret_access_key: value, region: 'eu-west-1' } });
const info = (value) => ({
  name: 'aws-s3', namespace: 'ml', type: 'aws', secretType: 'Opaque', keys: ['access_key_id', 'region', 'secret_access_key'],
  labels: { 'credinject.dev/type': 'aws' }, annotations: {}, problems: [], digests: keyDigests(secret(value), digestKey),
});
let current = info('old-secret-value');
const credentials = { get: (ns, name) => (ns === 'ml' && name === 'aws-s3' ? current : undefined), list: () => [current] };

const api = spawn(process.execPath, [new URL('./rotationApiServer.mjs', import.meta.url).pathname, String(count), versionDigest(current.digests, envKeys)], { stdio: ['ignore', 'pipe', 'inherit'] });
const [first] = await once(createInterface({ input: api.stdout }), 'line');
const { port } = JSON.parse(first);
const base = `http://127.0.0.1:${port}`;
const stats = async () => (await fetch(`${base}/stats`)).json();

const agent = new Agent({ keepAlive: true });
const cluster = kubeApi({ server: base, prepare: async () => ({ agent, headers: {} }) });
let plans = 0;
const metrics = { countRotationRestart() {}, countRotationHeld() {}, setTrackedCredentials() {}, setStalePods: () => void plans++ };
global.gc?.();
const rssBefore = process.memoryUsage().rss;
const writer = rotationBackgroundWriter(cluster, { quietPeriodMs: 0, qps, burst, defaultAction: 'restart', credentials, metrics, logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }), pollMs: 50 });
const running = writer.start();
// A plan runs only on synced informers: the first one (nothing stale, nothing patched) marks the start.
await until('the informers to sync and a first plan', async () => (plans > 0 ? true : undefined), 60_000);
if ((await stats()).patches.length > 0) throw new Error('patched before the credential changed');

const changedAt = (await stats()).now;
current = info('rotated-secret-value');
const done = await until(`${count} restart patches`, async () => {
  const { patches } = await stats();
  return patches.length >= count ? patches : undefined;
}, 600_000);
const rssAfter = process.memoryUsage().rss;
await new Promise((resolve) => setTimeout(resolve, 1000));
const extra = (await stats()).patches.length - count;
await running.stop();
api.kill('SIGTERM');

const last = Math.max(...done);
const firstPatch = Math.min(...done);
const seconds = (last - changedAt) / 1000;
// The sustained rate after the burst, against the configured qps (1.00: exactly the limit).
const rate = (count - burst) / ((last - firstPatch) / 1000);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(`rotation: ${count} Deployments restarted ${seconds.toFixed(1)} s after the change (limit alone: ${((count - burst) / qps).toFixed(1)} s), ` +
  `write rate ${rate.toFixed(1)}/s = ${(rate / qps).toFixed(2)}x the configured ${qps}/s (burst ${burst}), ${extra} repeated patches, ` +
  `RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB`);
