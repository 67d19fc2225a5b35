// The two credinject runs of the peer benchmark beside its rounds, each a server of its own so that
// neither the GC tracing nor the cluster connection touches the measured one. Each server is in
// `running` (the caller's list of what to kill on a signal) while it runs.
import { readFileSync, statSync } from 'node:fs';
import { quantile, rssMegabytes, until } from '../benchUtil.mjs';
import { startCredinject } from '../servers.mjs';
import { parseGcTrace, summariseGcPauses } from './gcTrace.mjs';
import { pace, saturate } from './loadGenerators.mjs';

export const gcPauseLimitMs = 2;

/**
 * credinject under --trace-gc (its stdout, V8's trace lines among the JSON logs, goes to its log
 * file): warmed by `warmSeconds` saturated, then `rate` req/s for `pacedSeconds` and `seconds`
 * saturated again; the pauses after the warm-up, summarised, and the paced p99.
 * `run` = { files, dir, wrap, load, pacer, rate, seconds, warmSeconds, pacedSeconds, running, main?, name? }
 * (`main`: another build's dist/cli/main.js, the baseline).
 */
export async function gcTraceRun(run) {
  const { files, dir, wrap, load, pacer, rate, seconds, warmSeconds, pacedSeconds, running, main, name = 'credinject-trace-gc' } = run;
  const server = await startCredinject(files, dir, { name, nodeArgs: ['--trace-gc'], wrap, ...(main ? { main } : {}) });
  running.push(server);
  try {
    await saturate({ port: server.port, seconds: warmSeconds, ...load });
    const offset = statSync(server.logFile).size;
    const even = await pace({ pacer, port: server.port, rate, seconds: pacedSeconds, ...load });
    await saturate({ port: server.port, seconds, ...load });
    const events = parseGcTrace(readFileSync(server.logFile).subarray(offset).toString('utf8'));
    return { ...summariseGcPauses(events, gcPauseLimitMs), p99: quantile(even.latencies, 0.99) };
  } finally {
    await server.kill();
    running.splice(running.indexOf(server), 1);
  }
}

/**
 * credinject serve in cluster mode against the control plane (an empty cluster: its credential and
 * usage views hold nothing), idle: its RSS `settleSeconds` after it reported ready, and the highest
 * seen meanwhile. What a replica costs before the cluster's objects add to it.
 */
export async function idleInCluster({ files, dir, kubeconfig, running, settleSeconds = 5, main, name = 'credinject-cluster' }) {
  const server = await startCredinject(files, dir, { name, cluster: { kubeconfig }, readyTimeoutMs: 60_000, ...(main ? { main } : {}) });
  running.push(server);
  try {
    const settled = performance.now() + settleSeconds * 1000;
    let peak = rssMegabytes(server.pid);
    await until('credinject to settle', () => {
      peak = Math.max(peak, rssMegabytes(server.pid));
      return performance.now() >= settled ? true : undefined;
    }, settleSeconds * 1000 + 5_000);
    return { rssMb: rssMegabytes(server.pid), peakMb: peak };
  } finally {
    await server.kill();
    running.splice(running.indexOf(server), 1);
  }
}
