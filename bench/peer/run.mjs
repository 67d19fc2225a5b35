// Peer benchmark: credinject against HashiCorp's Vault Agent Injector (vault-k8s, Go, the released
// binary built from its module: bench/peer/build.sh), a Go net/http floor and the Node parse floor
// (bench/floorServer.mjs --parse), all on the same certificate and the same review
// (bench/peer/peerReview.mjs: both products' annotations, so both really inject).
// Run `npm run build` first. Usage: node bench/peer/run.mjs [--rounds N] [--seconds S] [--paced-seconds S]
//   [--baseline <dist/cli/main.js of another build>]: that build too, as `credinject-before`, in the
//   same rounds, GC run and idle run, so a change's before and after come from one run (its answer
//   must be the same bytes); BENCH_BASELINE sets it for `npm run bench`.
//
// Each server is pinned to core 1 and the load generator, a process of its own, to core 0 (when
// taskset works). Per server and round: saturation by wrk (10 connections): req/s, the server's
// CPU per review (/proc/<pid>/stat), its peak RSS; then 500 req/s evenly by bench/peer/go/pace
// (latency from the scheduled send time): p50/p99. Rounds alternate the order (A B, B A) and the
// ratios are medians of the per-round ratios. Then a separate credinject under --trace-gc, whose
// pauses are read from its output. vault-k8s runs against the e2e control plane
// (bench/peer/vaultInjector.mjs). Prints the targets and, last, the summary line. Skips with one
// line (exit 0) when Go is missing; skips vault-k8s alone (saying why) when it cannot run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, machineDescription, quantile, rssMegabytes, withCpuAccounting } from '../benchUtil.mjs';
import { post, prepareFiles, requireBuild, startCredinject, startFloor, verifyMutate } from '../servers.mjs';
import { gcPauseLimitMs, gcTraceRun, idleInCluster } from './credinjectRuns.mjs';
import { loadControlPlaneHarness } from './harness.mjs';
import { connections, ensureWrk, pace, saturate, writeWrkScript } from './loadGenerators.mjs';
import { peerReview, verifyVaultAnswer } from './peerReview.mjs';
import { formatPeerSummary, pairRatio, peerFigures, peerTargets, roundOrder } from './summary.mjs';
import { startVaultInjector } from './vaultInjector.mjs';

const { values: cli } = parseArgs({
  options: { baseline: { type: 'string', default: process.env.BENCH_BASELINE ?? '' }, rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '3' }, 'paced-seconds': { type: 'string', default: '4' } },
});
const rounds = Math.max(1, Math.min(9, Number(cli.rounds)));
const seconds = Math.max(1, Math.min(30, Number(cli.seconds)));
const pacedSeconds = Math.max(1, Math.min(30, Number(cli['paced-seconds'])));
const rate = 500;
const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

function skip(reason) {
  console.log(`peer: skipped: ${reason}`);
  process.exit(0);
}

/** bench/peer/build.sh <what>: the folder of the binaries, or { failed } with the reason. */
function build(what) {
  const result = spawnSync('bash', [buildScript, what], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const folder = result.stdout.trim().split('\n').at(-1);
  return result.status === 0 && folder ? { folder } : { failed: `bench/peer/build.sh ${what} failed (exit ${result.status})` };
}

const works = (command) => spawnSync(command[0], command.slice(1), { stdio: 'ignore' }).status === 0;

requireBuild();
if (!works(['go', 'version'])) skip('go is not installed (it builds vault-k8s, the Go floor and the load client)');
const wrkMissing = ensureWrk();
if (wrkMissing) skip(wrkMissing);
const tools = build('tools');
if (tools.failed) skip(tools.failed);
const pacer = join(tools.folder, 'pace');

// What would keep vault-k8s from running; the other servers are measured regardless.
// The control plane also serves the idle cluster-mode measurement, which needs no vault-k8s.
let vaultSkipped;
let clusterSkipped;
const vaultBuild = build('vault-k8s');
const harness = await loadControlPlaneHarness().catch((err) => ({ failed: `the e2e harness did not load: ${err.message.split('\n')[0]}` }));
const binDir = harness.failed ? undefined : harness.resolveBinDir();
if (harness.failed) clusterSkipped = harness.failed;
else if (!binDir) clusterSkipped = 'no control plane binaries: run `bash hack/envtest.sh` or set KUBEBUILDER_ASSETS';
if (vaultBuild.failed) vaultSkipped = vaultBuild.failed;
else if (clusterSkipped) vaultSkipped = clusterSkipped;
else if (!works(['unshare', '--mount', '--propagation', 'private', 'true'])) vaultSkipped = 'needs `unshare --mount` (root) for its in-cluster token folder';

const pinned = works(['taskset', '-c', '1', 'true']) && works(['taskset', '-c', '0', 'true']);
const serverCore = pinned ? ['taskset', '-c', '1'] : [];
const clientCore = pinned ? ['taskset', '-c', '0'] : [];

const dir = mkdtempSync(join(tmpdir(), 'credinject-peer-'));
const started = [];
let controlPlane;
const stopAll = async () => {
  await Promise.all(started.map((server) => server.kill?.() ?? server.stop()));
  await controlPlane?.stop();
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    for (const server of started) process.kill(server.pid, 'SIGKILL');
    controlPlane?.stop().finally(() => process.exit(1));
  });
}

async function measure(server, load) {
  const injectedBefore = await server.injected?.();
  let rssMb = 0;
  const sampler = setInterval(() => (rssMb = Math.max(rssMb, rssMegabytes(server.pid))), 100);
  const sat = await withCpuAccounting([server.pid], () => saturate({ port: server.port, seconds, ...load }));
  clearInterval(sampler);
  rssMb = Math.max(rssMb, rssMegabytes(server.pid));
  const even = await withCpuAccounting([server.pid], () => pace({ pacer, port: server.port, rate, seconds: pacedSeconds, ...load }));
  const injectedAfter = await server.injected?.();
  const s = sat.result;
  const p = even.result;
  // The pace client's 10 warm-up requests are answered too; wrk may leave a few in flight.
  const answered = s.requests + p.requests + connections;
  const unpatched = injectedBefore === undefined ? 0 : Math.max(0, answered - (injectedAfter - injectedBefore));
  return {
    server: server.name,
    rps: s.rps,
    cpuUs: (sat.cpu[0] / s.requests) * 1e6,
    perCore: s.requests / sat.cpu[0],
    serverCores: sat.cpu[0] / sat.seconds,
    clientCores: sat.children / sat.seconds,
    rssMb,
    pacedCpuUs: (even.cpu[0] / p.requests) * 1e6,
    pacedP50: quantile(p.latencies, 0.5),
    pacedP99: quantile(p.latencies, 0.99),
    pacedMax: p.latencies.at(-1),
    sendLagP99: p.sendLagP99Ms,
    errors: s.non2xx + s.socketErrors + p.errors + p.non2xx + unpatched,
    foreignCores: Math.max(sat.foreignCores, even.foreignCores),
  };
}

const row = (m) =>
  `${m.server.padEnd(11)} ${fmt(m.rps, 0).padStart(6)} req/s  cpu ${fmt(m.cpuUs, 0).padStart(4)} µs/review (${fmt(m.serverCores)} cores, client ${fmt(m.clientCores)})  ` +
  `RSS ${fmt(m.rssMb, 0).padStart(3)} MB  @${rate}: p50 ${fmt(m.pacedP50)} p99 ${fmt(m.pacedP99)} max ${fmt(m.pacedMax)} ms, cpu ${fmt(m.pacedCpuUs, 0)} µs/review  ` +
  `errors ${m.errors}  other load ${fmt(m.foreignCores)} cores`;

const t0 = performance.now();
try {
  console.log(`machine: ${machineDescription()}`);
  console.log(pinned ? 'servers pinned to core 1, load generators to core 0 (taskset)' : 'taskset does not work here: nothing pinned');
  const files = await prepareFiles(dir);
  const body = JSON.stringify(peerReview());
  const bodyFile = join(dir, 'review.json');
  writeFileSync(bodyFile, body);
  const load = { script: writeWrkScript(dir, bodyFile), bodyFile, ca: files.cert, wrap: clientCore };

  const credinject = await startCredinject(files, dir, { wrap: serverCore });
  started.push(credinject);
  const verified = await verifyMutate(credinject.port, body, files.ca);
  console.log(`review ${body.length} bytes; credinject answers ${verified.description}`);
  const servers = [credinject];
  if (cli.baseline) {
    const before = await startCredinject(files, dir, { wrap: serverCore, main: cli.baseline, name: 'credinject-before' });
    started.push(before);
    const check = await verifyMutate(before.port, body, files.ca);
    if (!check.answer.equals(verified.answer)) throw new Error(`the baseline ${cli.baseline} answers other bytes than this build`);
    console.log(`baseline ${cli.baseline} answers the same ${check.answer.length} bytes`);
    servers.push(before);
  }
  if (!clusterSkipped) {
    controlPlane = await harness.startControlPlane({ binDir, withControllerManager: false }).catch((err) => {
      clusterSkipped = `the control plane did not start: ${err.message.split('\n')[0]}`;
      vaultSkipped ??= clusterSkipped;
    });
  }
  if (!vaultSkipped) {
    try {
      const vault = await startVaultInjector({ binary: join(vaultBuild.folder, 'vault-k8s'), cp: controlPlane, files, dir, wrap: serverCore });
      started.push(vault);
      const answer = await post(vault.port, '/mutate', body, files.ca);
      console.log(`vault-k8s answers ${verifyVaultAnswer(answer.status, answer.body)}`);
      servers.push(vault);
    } catch (err) {
      vaultSkipped = `it did not start: ${err.message.split('\n')[0]}`;
    }
  }
  if (vaultSkipped) console.log(`vault-k8s skipped: ${vaultSkipped}`);
  const goFloor = await startFloor(files, verified.answer, { executable: join(tools.folder, 'go-floor'), name: 'go-floor', wrap: serverCore });
  const parseFloor = await startFloor(files, verified.answer, { parse: true, wrap: serverCore });
  started.push(goFloor, parseFloor);
  for (const floor of [goFloor, parseFloor]) {
    const check = await verifyMutate(floor.port, body, files.ca);
    if (!check.answer.equals(verified.answer)) throw new Error(`the ${floor.name} answers other bytes than credinject`);
  }
  servers.push(goFloor, parseFloor);

  // credinject needs seconds of load to reach its steady speed (JIT); the others, less.
  for (const server of servers) await saturate({ port: server.port, seconds: server.name.startsWith('credinject') ? 6 : 2, ...load });

  const results = Object.fromEntries(servers.map((server) => [server.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const server of roundOrder(servers, round)) {
      const m = await measure(server, load);
      results[server.name].push(m);
      console.log(`round ${round + 1} ${row(m)}`);
    }
  }
  await verifyMutate(credinject.port, body, files.ca); // still injecting after the load

  // The measured servers leave the cores to the runs that follow.
  for (const server of started.splice(0)) await (server.kill?.() ?? server.stop());
  const gc = await gcTraceRun({ files, dir, wrap: serverCore, load, pacer, rate, seconds, warmSeconds: 6, pacedSeconds: 6, running: started });
  const kinds = Object.entries(gc.byKind).map(([kind, k]) => `${kind} ${k.count} (max ${fmt(k.maxMs)} ms, ${k.overLimit} over ${gcPauseLimitMs} ms)`);
  console.log(`--trace-gc run (${rate} req/s for 6 s, then ${seconds} s saturated, after a 6 s warm-up): ${kinds.join(', ') || 'no GC'}; p99 @${rate} ${fmt(gc.p99)} ms`);
  let idle;
  if (controlPlane) {
    idle = await idleInCluster({ files, dir, kubeconfig: controlPlane.kubeconfigPath, running: started });
    console.log(`credinject serve in cluster mode (the e2e control plane, no credentials): RSS ${fmt(idle.rssMb, 0)} MB 5 s after ready (peak ${fmt(idle.peakMb, 0)} MB)`);
  } else {
    console.log(`cluster-mode idle RSS skipped: ${clusterSkipped}`);
  }
  if (cli.baseline) {
    // The baseline's own GC and idle runs, then its figures and targets as if it were credinject.
    const main = cli.baseline;
    const gcBefore = await gcTraceRun({ files, dir, wrap: serverCore, load, pacer, rate, seconds, warmSeconds: 6, pacedSeconds: 6, running: started, main, name: 'credinject-before-trace-gc' });
    const idleBefore = controlPlane ? await idleInCluster({ files, dir, kubeconfig: controlPlane.kubeconfigPath, running: started, main, name: 'credinject-before-cluster' }) : undefined;
    const before = formatPeerSummary(peerFigures({ ...results, credinject: results['credinject-before'] }, gcBefore, idleBefore));
    console.log(`before (${main}):`);
    for (const target of peerTargets(before)) console.log(`  ${target}`);
    console.log(`  ${before.replace(/^peer:/, 'peer before:')}`);
    const change = (key) => `${fmt(pairRatio(results, 'credinject', 'credinject-before', key))} x`;
    console.log(`after / before (medians of per-round ratios): CPU per review ${change('cpuUs')}, req/s per core ${change('perCore')}, peak RSS ${change('rssMb')}, p99 @${rate} ${change('pacedP99')}`);
  }

  const f = peerFigures(results, gc, idle);
  console.log(`medians of ${rounds} rounds (${connections} connections; ${seconds} s saturated by wrk, ${pacedSeconds} s at ${rate} req/s by pace; ratios = medians of per-round ratios):`);
  console.log(`  CPU per review  credinject ${fmt(f.cpu, 0)}, vault-k8s ${fmt(f.vaultCpu, 0)}, Go floor ${fmt(f.goFloorCpu, 0)}, parse floor ${fmt(f.parseFloorCpu, 0)} µs`);
  console.log(`  req/s per core  credinject ${fmt(f.perCore, 0)} = ${fmt(f.perCoreVsVault)} x vault-k8s`);
  console.log(`  RSS under load  credinject ${fmt(f.rss, 0)} MB, vault-k8s ${fmt(f.vaultRss, 0)} MB (highest of the rounds)`);
  console.log(`  p99 @${rate}        credinject ${fmt(f.p99)}, vault-k8s ${fmt(f.vaultP99)}, Go floor ${fmt(f.goFloorP99)} ms`);
  const lag = Math.max(...Object.values(results).flat().map((m) => m.sendLagP99));
  console.log(`  the pace client sent 99 % of its requests within ${fmt(lag * 1000, 0)} µs of schedule (its own precision, part of every latency)`);
  console.log(`  other processes used up to ${fmt(f.foreign)} cores during a measurement; load average now ${machineDescription().split('load average ')[1]}`);
  if (f.foreign > 0.3) console.log(`  WARNING: other processes took up to ${fmt(f.foreign, 1)} cores; the absolute figures are unreliable, the per-round ratios less so`);
  console.log(`peer benchmark took ${fmt((performance.now() - t0) / 1000, 0)} s`);
  const line = formatPeerSummary(f);
  for (const target of peerTargets(line)) console.log(target);
  console.log(line);
} finally {
  await stopAll();
}
