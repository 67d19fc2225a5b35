// Scale benchmark of the webhook's in-memory views (run `npm run build` first; needs --expose-gc,
// which it re-executes itself with): 10,000 credential Secrets and 50,000 Pods and workloads of
// syntheticCluster.mjs.
//
// 1. In this process, through the functions the informers call: the resources of
//    watchedResources() (projection, upsert into the credential store and usage index) under
//    startResilientInformer (whose cache keeps the projected entries).
//    Only the list call is replaced, by pages of plain objects; the watches go to a stand-in API
//    server (fakeApiServer.mjs, a child process) that holds them open, silently: a quiet cluster.
//    Memory after a full GC (RSS and heap), with the pre-fill baseline subtracted and absolute; the
//    baseline has the server's module graph loaded, so absolute approximates a serving replica.
//    Then the DELETE check (deletionCheck on the filled index), per call, against a floor: Map.get
//    on a 50,000-entry map, timed the same way.
// 2. A real `credinject serve` in cluster mode listing the same cluster from the stand-in over HTTP
//    (the build's API client included): time to readiness, RSS then and its peak (/proc;
//    no GC can be forced there). Skip with --no-serve.
// A third of the users are wired by hand (secretKeyRef, envFrom, Secret volumes, imagePullSecrets)
// instead of annotated; --hand-wired 0 measures an annotation-only cluster as before.
// --dist <another build's dist/> measures that build instead (the previous main as a baseline, run
// alternately with this one; the in-process part imports its modules, serve runs its main.js).
// --list-concurrency N, --page-size N: pages in flight through the list gate and objects per page in
// the in-process part (serve's cluster view: 2 and 100, src/view/clusterView.ts).
// Usage: node bench/scale.mjs [--secrets N] [--users N] [--hand-wired SHARE] [--no-serve] [--dist DIR] [--list-concurrency N]. The last line is the summary.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

if (typeof global.gc !== 'function') {
  // Re-run with gc exposed and the node flags the measured build's image runs serve with (its
  // Dockerfile's ENTRYPOINT), so the in-process view sits in the heap a replica has.
  const { imageNodeFlags } = await import('./servers.mjs');
  const at = process.argv.indexOf('--dist');
  const flags = at > 0 ? imageNodeFlags(join(resolve(process.argv[at + 1]), 'cli/main.js')) : imageNodeFlags();
  const child = spawnSync(process.execPath, ['--expose-gc', ...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { values: cli } = parseArgs({
  options: {
    secrets: { type: 'string', default: '10000' },
    users: { type: 'string', default: '50000' },
    'hand-wired': { type: 'string', default: String(1 / 3) },
    'no-serve': { type: 'boolean', default: false },
    dist: { type: 'string', default: '' },
    'list-concurrency': { type: 'string', default: '2' },
    'page-size': { type: 'string', default: '100' },
  },
});
const dist = cli.dist ? resolve(cli.dist) : fileURLToPath(new URL('../dist/', import.meta.url));
const fromDist = (path) => import(pathToFileURL(join(dist, path)).href);
const checks = 10_000;
const sharedChecks = 1000; // milliseconds each while usersOf sorts every user of the credential

const { pino } = await import('pino');
await fromDist('server/start.js'); // the serving process's module graph, for an honest absolute RSS
// serve turns off allocation-site pretenuring at start (server/heapTuning); a build from before it does not.
await fromDist('server/heapTuning.js').then(({ stopPretenuring }) => stopPretenuring(), () => undefined);
const { watchedResources } = await fromDist('view/watchedResources.js');
const { startResilientInformer } = await fromDist('kube/resilientInformer.js');
const { createCredentialStore } = await fromDist('view/credentialStore.js');
// The gate serve's cluster view lists through (kube/listGate.ts); a build from before it has none.
const { createListGate } = await fromDist('kube/listGate.js').catch(() => ({}));
const { createUsageIndex } = await fromDist('view/usageIndex.js');
const { createServiceAccountStore } = await fromDist('view/serviceAccountStore.js');
const { deletionCheck } = await fromDist('admission/deletionCheck.js');
const { validate } = await fromDist('admission/validate.js');
const { clusterShape, countOf, credentialName, namespaceName, namespaces, objectAt, prng } = await import('./syntheticCluster.mjs');
const { prepareFiles, startCredinject } = await import('./servers.mjs');
const { fmt, machineDescription, quantile, until } = await import('./benchUtil.mjs');
const shape = clusterShape(Number(cli.secrets), Number(cli.users), Number(cli['hand-wired']));
const { secretsPerNamespace, perNamespace } = shape;

// ---- measurement ---------------------------------------------------------------------------

/** Peak RSS of this process so far (VmHWM), MB. */
function highWaterRss() {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb) / 1024;
}

function memory() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20, heapTotal: m.heapTotal / 2 ** 20, external: (m.external + m.arrayBuffers) / 2 ** 20 };
}

/**
 * A real `credinject serve` in cluster mode against the stand-in: RSS once its informers have
 * synced (readiness) and a few seconds have passed, and its peak. No GC can be forced there.
 */
async function measureServe() {
  const dir = mkdtempSync(join(tmpdir(), 'credinject-scale-'));
  try {
    const files = await prepareFiles(dir);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'bench', cluster: { server, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'bench', user: {} }],
        contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
        'current-context': 'bench',
      }),
    );
    const started = performance.now();
    const serve = await startCredinject(files, dir, { cluster: { kubeconfig }, logLevel: 'warn', readyTimeoutMs: 120_000, main: join(dist, 'cli/main.js') });
    const syncSeconds = (performance.now() - started) / 1000;
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return { ...processMemory(serve.pid), syncSeconds };
    } finally {
      await serve.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per-call times in µs of `fn(i)` for i < count, after a warm-up; the timer's own cost is included. */
function timeEach(count, fn, warmUp = 2000) {
  for (let i = 0; i < warmUp; i++) fn(i % count);
  const times = new Float64Array(count);
  let sink = 0;
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const result = fn(i);
    times[i] = Number(process.hrtime.bigint() - start) / 1000;
    if (result) sink++;
  }
  times.sort();
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: times[count - 1], sink };
}

/** A list function serving a resource of the synthetic cluster in pages, like limit/continue. */
function pager(resource) {
  const total = countOf(shape, resource);
  return async ({ limit, _continue }) => {
    const from = Number(_continue ?? 0);
    const to = Math.min(total, from + limit);
    const items = [];
    for (let i = from; i < to; i++) items.push(objectAt(shape, resource, i));
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '5000', ...(to < total ? { _continue: String(to) } : {}) }, items };
  };
}

/** The stand-in API server (fakeApiServer.mjs) in a child process; resolves to its port and the child. */
async function startApiServer() {
  const script = fileURLToPath(new URL('./fakeApiServer.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, cli.secrets, cli.users, cli['hand-wired']], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const { port } = await until('the stand-in API server', () => {
    if (child.exitCode !== null) throw new Error(`fakeApiServer exited with ${child.exitCode}`);
    return out.includes('\n') ? JSON.parse(out.split('\n')[0]) : undefined;
  });
  return { port, child };
}

/** Resident and peak memory of another process, MB. */
function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

const api = await startApiServer();
const server = `http://127.0.0.1:${api.port}`;
// The build's own way to reach an API server: its REST client (kube/connectKube), or client-node's
// KubeConfig in a build from before it. Plain HTTP needs insecure-skip-tls-verify in both.
const kubeconfigFile = join(mkdtempSync(join(tmpdir(), 'credinject-scale-')), 'kubeconfig');
writeFileSync(kubeconfigFile, JSON.stringify({
  'current-context': 'bench',
  clusters: [{ name: 'bench', cluster: { server, 'insecure-skip-tls-verify': true } }],
  users: [{ name: 'bench', user: {} }],
  contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
}));
const cluster = await fromDist('kube/connectKube.js').then(
  ({ connectKube }) => connectKube(kubeconfigFile),
  async () => (await fromDist('kube/kubeConfig.js')).loadKubeConfig(kubeconfigFile),
);
const logger = pino({ level: 'warn' });

console.log(`machine: ${machineDescription()}${cli.dist ? `; build ${dist}` : ''}`);
const baseline = memory();
const credentials = createCredentialStore();
const usage = createUsageIndex();
const watched = watchedResources(cluster, { credentials, usage, serviceAccounts: createServiceAccountStore() });
const resources = [watched.secrets, ...watched.users, watched.serviceAccounts].map((resource) => ({ ...resource, listPage: pager(resource.name) }));
const secretCount = countOf(shape, 'secrets');
const userCount = watched.users.reduce((n, r) => n + countOf(shape, r.name), 0);
// One ServiceAccount per namespace gives its Pods a credential, and counts as its user.
const serviceAccountUsers = namespaces;
const listGate = createListGate?.(Number(cli['list-concurrency']));
const fillStart = performance.now();
const informers = resources.map((resource) => startResilientInformer(cluster, resource, { logger, pageSize: Number(cli['page-size']), ...(listGate ? { listGate } : {}) }));
try {
  await until('the informers to sync', () => (informers.every((informer) => informer.synced()) ? true : undefined), 60_000);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const filled = memory();
  const peakRss = highWaterRss();
  // V8 hands freed pages back to the OS over the next seconds (memory reducer, unmapper):
  // "settled" is what the replica then runs at until the next relist.
  let settled = filled;
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = memory();
    const done = settled.rss - now.rss < 2;
    settled = now;
    if (done) break;
  }
  const sizes = usage.sizes();
  if (credentials.size() !== secretCount || sizes.users !== userCount + serviceAccountUsers) {
    throw new Error(`index holds ${credentials.size()} credentials and ${sizes.users} users, expected ${secretCount} and ${userCount + serviceAccountUsers}`);
  }

  // DELETE checks: credentials picked at random across the cluster (most are in use, so most
  // checks build a denial naming users), then the shared credential (500 users each) alone.
  const random = prng(42);
  const picks = Array.from({ length: checks }, () => ({
    namespace: namespaceName(Math.floor(random() * namespaces)),
    name: credentialName(Math.floor(random() * secretsPerNamespace)),
  }));
  const deleteOf = (pick) => ({ name: pick.name, namespace: pick.namespace, annotations: {}, username: 'alice' });
  const requests = picks.map(deleteOf);
  const any = timeEach(checks, (i) => deletionCheck(requests[i], usage).denial);
  const shared = picks.slice(0, sharedChecks).map((pick) => deleteOf({ ...pick, name: 'registry' }));
  const hot = timeEach(sharedChecks, (i) => deletionCheck(shared[i], usage).denial, 200);
  const denied = requests.filter((r) => deletionCheck(r, usage).denial).length;
  // The whole validating-webhook decision for a Secret DELETE (labels read from oldObject first).
  const reviews = picks.map((pick) => ({
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'Secret' },
    resource: { group: '', version: 'v1', resource: 'secrets' },
    namespace: pick.namespace,
    name: pick.name,
    operation: 'DELETE',
    userInfo: { username: 'alice' },
    object: null,
    oldObject: { apiVersion: 'v1', kind: 'Secret', metadata: { name: pick.name, namespace: pick.namespace, labels: { 'credinject.dev/type': 'generic' } } },
  }));
  const store = { credentials, usage };
  const viaValidate = timeEach(checks, (i) => validate(reviews[i], store).denial);

  // Floor: Map.get on a 50,000-entry map with keys shaped like the index's, timed the same way.
  const floorMap = new Map();
  for (let i = 0; i < userCount; i++) floorMap.set(`${namespaceName(i % namespaces)}\u0000Pod/pod-${i}-x7k2p`, i);
  const floorKeys = Array.from({ length: checks }, () => `${namespaceName(0)}\u0000Pod/pod-${Math.floor(random() * (userCount / namespaces)) * namespaces}-x7k2p`);
  const floor = timeEach(checks, (i) => floorMap.get(floorKeys[i]) !== undefined);
  if (floor.sink !== checks) throw new Error('floor keys missing from the floor map');

  const delta = { rss: settled.rss - baseline.rss, heap: settled.heap - baseline.heap };
  await Promise.all(informers.map((informer) => informer.stop()));
  const serve = cli['no-serve'] ? undefined : await measureServe();
  const objects = secretCount + userCount;
  console.log(`filled ${secretCount} credential Secrets and ${userCount} users (${Object.entries(perNamespace).map(([r, c]) => `${c * namespaces} ${r}`).join(', ')}) and ${countOf(shape, 'serviceaccounts')} ServiceAccounts in ${fmt(fillSeconds, 1)} s through ${informers.length} informers${listGate ? `, ${cli['list-concurrency']} pages in flight at most` : ', their pages in flight together'}`);
  console.log(`  every user references the shared credential of its namespace plus 1-3 others, ${fmt(shape.handWired * 100, 0)}% of them by hand: ${sizes.credentials} Secrets in use`);
  console.log(`memory after gc, MB   baseline   just filled   settled   settled - baseline`);
  console.log(`  rss                ${fmt(baseline.rss, 1).padStart(8)} ${fmt(filled.rss, 1).padStart(13)} ${fmt(settled.rss, 1).padStart(9)} ${fmt(delta.rss, 1).padStart(12)}   (peak during the fill ${fmt(peakRss, 0)} MB)`);
  console.log(`  heap total         ${fmt(baseline.heapTotal, 1).padStart(8)} ${fmt(filled.heapTotal, 1).padStart(13)} ${fmt(settled.heapTotal, 1).padStart(9)} ${fmt(settled.heapTotal - baseline.heapTotal, 1).padStart(12)}`);
  console.log(`  heap used          ${fmt(baseline.heap, 1).padStart(8)} ${fmt(filled.heap, 1).padStart(13)} ${fmt(settled.heap, 1).padStart(9)} ${fmt(delta.heap, 1).padStart(12)}   (${fmt((delta.heap * 2 ** 20) / objects, 0)} bytes per object, informer caches included)`);
  console.log(`  the baseline is this process with the server's modules loaded (and, in a build from before kube/kubeApi, @kubernetes/client-node: ~70 MB of it)`);
  if (serve) {
    console.log(`credinject serve (cluster mode, the same cluster listed over HTTP): ready after ${fmt(serve.syncSeconds, 1)} s, RSS ${fmt(serve.rss, 0)} MB 2 s later, peak ${fmt(serve.peak, 0)} MB`);
    console.log(`  (no GC can be forced there and V8 returns memory lazily; the peak is what meets the pod's memory limit)`);
  }
  console.log(`DELETE check (deletionCheck, ${checks} checks, per-call timing incl. ~0.05 µs timer cost):`);
  console.log(`  random credential   p50 ${fmt(any.p50)} µs  p99 ${fmt(any.p99)} µs  max ${fmt(any.max)} µs  (${denied} of ${checks} denied: in use)`);
  console.log(`  shared credential   p50 ${fmt(hot.p50)} µs  p99 ${fmt(hot.p99)} µs  max ${fmt(hot.max)} µs  (${sharedChecks} checks; ${usage.usersOf(namespaceName(0), 'registry').total} users, 5 of them named)`);
  console.log(`  validate() DELETE   p50 ${fmt(viaValidate.p50)} µs  p99 ${fmt(viaValidate.p99)} µs`);
  console.log(`  floor Map.get 50k   p50 ${fmt(floor.p50)} µs  p99 ${fmt(floor.p99)} µs   ratio p50 ${fmt(any.p50 / floor.p50, 1)} x floor, shared ${fmt(hot.p50 / floor.p50, 0)} x floor`);
  const k = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
  console.log(
    `index ${k(secretCount)}/${k(userCount)} (${fmt(shape.handWired * 100, 0)}% hand-wired): ${fmt(settled.rss, 0)} MB RSS (+${fmt(delta.rss, 0)} MB over the idle server's modules, heap +${fmt(delta.heap, 0)} MB, peak ${fmt(peakRss, 0)} MB), ` +
      `delete-check ${fmt(any.p50 / 1000, 4)} ms p50 / ${fmt(any.p99 / 1000, 4)} ms p99 = ${fmt(any.p50 / floor.p50, 1)} x floor, ` +
      `shared credential ${fmt(hot.p99 / 1000, 3)} ms p99${serve ? `; serve ${fmt(serve.rss, 0)} MB RSS, peak ${fmt(serve.peak, 0)} MB` : ''}`,
  );
} finally {
  await Promise.all(informers.map((informer) => informer.stop()));
  api.child.kill('SIGTERM');
}
