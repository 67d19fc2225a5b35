// Admission benchmark: `credinject serve` (static mode, TLS) against two floors on the same
// certificate (bench/floorServer.mjs): the floor answers the very bytes credinject answers without
// reading them; the parse floor also JSON-parses each review and serialises the answer, the least
// work any webhook must do. All driven over HTTPS keep-alive on 127.0.0.1 with the review of
// admissionReview.mjs.
// Run `npm run build` first. Usage: node bench/admission.mjs [--rounds N] [--seconds S] [--main PATH]
//   --main: another build's dist/cli/main.js (a scratch copy with a change to try) instead of ours
//
// Per server and round: throughput at saturation (autocannon, 10 connections), latency at 500 req/s
// with autocannon's overallRate, latency at 500 req/s paced evenly (our own open-loop client), the
// server's CPU per request, errors. Rounds rotate the order of the servers and medians are
// reported. The load generator runs in this process and competes with the server for the CPU: on a
// two-core machine, saturation figures are "server + client sharing two cores" for both servers.
// The last line is the summary.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { review } from './admissionReview.mjs';
import { fmt, machineDescription, median, quantile, samples, withCpuAccounting } from './benchUtil.mjs';
import { prepareFiles, startCredinject, startFloor, verifyMutate } from './servers.mjs';

const { values: cli } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '3' }, main: { type: 'string' } },
});
const rounds = Math.max(1, Math.min(9, Number(cli.rounds)));
const seconds = Math.max(1, Math.min(30, Number(cli.seconds)));
const connections = 10;
const rate = 500;
const body = JSON.stringify(review());

/** autocannon run; latencies come from its per-response event (float ms; its histogram is whole ms). */
function cannon(server, options) {
  return new Promise((resolve, reject) => {
    const latencies = samples(1 << 16);
    const instance = autocannon(
      {
        url: `https://127.0.0.1:${server.port}/mutate`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections,
        timeout: 5,
        ...options,
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies: latencies.sorted() })),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/**
 * Open-loop load at `rate` requests/s evenly spaced (what a busy API server sends), over a pool of
 * keep-alive connections opened beforehand. Latency counts from the scheduled send time, so a
 * stalled server is not hidden by the client waiting for it (no coordinated omission).
 */
function paced(server, ca, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ca });
  const total = rate * seconds;
  const interval = 1000 / rate;
  const latencies = samples(total);
  let sent = 0;
  let finished = 0;
  let errors = 0;
  let non2xx = 0;
  // Open (handshake) every connection first: the API server keeps its connections, so a TLS
  // handshake in the measured window would be an artefact of this client.
  const warm = () =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/mutate', method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', resolve);
      req.end(body);
    });
  return Promise.all(Array.from({ length: connections }, warm)).then(() => new Promise((resolve) => {
    const start = performance.now() + 20;
    const finish = () => {
      if (++finished === total) {
        agent.destroy();
        resolve({ latencies: latencies.sorted(), errors, non2xx, requests: total });
      }
    };
    const fire = (scheduled) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/mutate', method: 'POST', agent, headers: { 'Content-Type': 'application/json' }, timeout: 5000 },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
            finish();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(start + interval * sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    setTimeout(tick, 20);
  }));
}

async function measure(server, ca) {
  const patchedBefore = await server.injected?.();
  const pids = [server.pid, process.pid];
  const sat = await withCpuAccounting(pids, () => cannon(server, { duration: seconds }));
  const limited = await withCpuAccounting(pids, () => cannon(server, { duration: seconds, overallRate: rate }));
  const even = await withCpuAccounting(pids, () => paced(server, ca, seconds));
  const patchedAfter = await server.injected?.();
  const s = sat.result.result;
  const l = limited.result.result;
  const errors = s.errors + s.timeouts + s.non2xx + l.errors + l.timeouts + l.non2xx + even.result.errors + even.result.non2xx;
  const responses = s.requests.total + l.requests.total + even.result.requests;
  return {
    server: server.name,
    rps: s.requests.total / (s.duration || seconds),
    satP50: quantile(sat.result.latencies, 0.5),
    satP99: quantile(sat.result.latencies, 0.99),
    cpuUsPerRequest: (sat.cpu[0] / s.requests.total) * 1e6,
    clientCores: sat.cpu[1] / sat.seconds,
    foreignCores: Math.max(sat.foreignCores, limited.foreignCores, even.foreignCores),
    rateRps: l.requests.total / (l.duration || seconds),
    rateP50: quantile(limited.result.latencies, 0.5),
    rateP99: quantile(limited.result.latencies, 0.99),
    pacedP50: quantile(even.result.latencies, 0.5),
    pacedP99: quantile(even.result.latencies, 0.99),
    errors,
    // Every 2xx credinject sent must have been a patch (its own counter), not an allow or a denial.
    unpatched: patchedBefore === undefined ? 0 : Math.max(0, responses - (patchedAfter - patchedBefore)),
  };
}

function row(m) {
  return (
    `${m.server.padEnd(11)} ${fmt(m.rps, 0).padStart(7)} req/s  sat p50 ${fmt(m.satP50)} p99 ${fmt(m.satP99)} ms  ` +
    `cpu ${fmt(m.cpuUsPerRequest, 0).padStart(4)} µs/req  client ${fmt(m.clientCores)} cores  ` +
    `@${rate}: autocannon p50 ${fmt(m.rateP50)} p99 ${fmt(m.rateP99)} ms, paced p50 ${fmt(m.pacedP50)} p99 ${fmt(m.pacedP99)} ms  ` +
    `errors ${m.errors}${m.unpatched ? ` NOT-PATCHED ${m.unpatched}` : ''}  other load ${fmt(m.foreignCores)} cores`
  );
}

const dir = mkdtempSync(join(tmpdir(), 'credinject-admission-'));
const started = [];
// Stopped from outside (bench/run.mjs's time limit, ^C): take the servers down with us.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    for (const server of started) process.kill(server.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
}
try {
  console.log(`machine: ${machineDescription()}`);
  const files = await prepareFiles(dir);
  const credinject = await startCredinject(files, dir, cli.main ? { main: cli.main } : {});
  if (cli.main) console.log(`credinject from ${cli.main}`);
  started.push(credinject);
  const verified = await verifyMutate(credinject.port, body, files.ca);
  console.log(`review ${body.length} bytes; credinject answers ${verified.description}`);
  const floor = await startFloor(files, verified.answer);
  started.push(floor);
  const parseFloor = await startFloor(files, verified.answer, { parse: true });
  started.push(parseFloor);
  for (const server of [floor, parseFloor]) {
    const check = await verifyMutate(server.port, body, files.ca);
    if (!check.answer.equals(verified.answer)) throw new Error(`the ${server.name} answers other bytes than credinject`);
  }
  const servers = [credinject, floor, parseFloor];

  // Warm all up before anything counts. credinject needs seconds of load to reach its steady
  // speed (measured: ~2 ms CPU per request in the first 2 s, ~0.7 ms after 6 s); the floors, 2 s.
  for (const server of servers) await cannon(server, { duration: server === credinject ? 6 : 2 });

  const results = Object.fromEntries(servers.map((server) => [server.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round, so a drift in the machine's load does not favour one server.
    const order = servers.map((_, i) => servers[(i + round) % servers.length]);
    for (const server of round % 2 === 0 ? order : order.reverse()) {
      const m = await measure(server, files.ca);
      results[server.name].push(m);
      console.log(`round ${round + 1} ${row(m)}`);
    }
  }
  await verifyMutate(credinject.port, body, files.ca); // still injecting after the load

  const med = (name, key) => median(results[name].map((m) => m[key]));
  const figure = (key) => Object.fromEntries(servers.map(({ name }) => [name, med(name, key)]));
  const line = (label, key, unit, digits = 2) => {
    const f = figure(key);
    return `  ${label.padEnd(17)}${servers.map(({ name }) => `${name} ${fmt(f[name], digits)}`).join(', ')} ${unit}`;
  };
  const rps = figure('rps');
  const cpu = figure('cpuUsPerRequest');
  const rateP99 = figure('rateP99');
  const pacedP99 = figure('pacedP99');
  const errors = results.credinject.reduce((n, m) => n + m.errors + m.unpatched, 0);
  const floorErrors = [...results.floor, ...results['parse-floor']].reduce((n, m) => n + m.errors, 0);
  const foreign = Math.max(...Object.values(results).flat().map((m) => m.foreignCores));
  const load = machineDescription().split('load average ')[1];
  console.log(`medians of ${rounds} rounds (${connections} connections; ${seconds} s each: saturation, ${rate} req/s by autocannon, ${rate} req/s paced):`);
  console.log(`${line('throughput', 'rps', 'req/s', 0)}; credinject / floor ${fmt(rps.credinject / rps.floor)}, / parse floor ${fmt(rps.credinject / rps['parse-floor'])}`);
  console.log(`${line('server CPU', 'cpuUsPerRequest', 'µs/req', 0)}; credinject / floor ${fmt(cpu.credinject / cpu.floor, 1)}, / parse floor ${fmt(cpu.credinject / cpu['parse-floor'], 1)}`);
  console.log(line('saturated p99', 'satP99', 'ms'));
  console.log(`${line('@500 autocannon', 'rateP50', 'ms p50')}`);
  console.log(`${line('', 'rateP99', 'ms p99')}`);
  console.log(`     (autocannon's overallRate sends each second's quota back to back at the start of the second: a burst at ${connections} concurrent)`);
  console.log(`${line('@500 paced', 'pacedP50', 'ms p50')}`);
  console.log(`${line('', 'pacedP99', 'ms p99')}`);
  console.log(`  errors           credinject ${errors} (errors, timeouts, non-2xx, answers that were not patches), floors ${floorErrors}`);
  console.log(`  the load generator runs in this process: at saturation it shares the 2 cores with the server (see "client" cores per row);`);
  console.log(`  the floor's req/s is bounded by the client, not by the floor. Other processes used up to ${fmt(foreign)} cores; load average now ${load}`);
  if (foreign > 0.3) console.log(`  WARNING: other processes took up to ${fmt(foreign, 1)} of the 2 cores during the runs; these figures are unreliable, run again when the machine is idle`);
  console.log(
    `mutate: ${fmt(rps.credinject, 0)} req/s = ${fmt(rps.credinject / rps.floor)} x floor (${fmt(rps.credinject / rps['parse-floor'])} x parse floor), ` +
      `p99 ${fmt(rateP99.credinject)} ms @${rate} rps (paced ${fmt(pacedP99.credinject)} ms), ` +
      `${errors} errors, ${fmt(cpu.credinject, 0)} µs CPU/req = ${fmt(cpu.credinject / cpu.floor, 1)} x floor, other load ${fmt(foreign, 1)} cores`,
  );
} finally {
  // Killed, not drained: the graceful shutdown (a 5 s delay) is not what this measures.
  await Promise.all(started.map((server) => server.kill?.() ?? server.stop()));
  rmSync(dir, { recursive: true, force: true });
}
