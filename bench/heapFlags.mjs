// A/B of V8 heap flags for `credinject serve` under saturation, in one run: per flag set and
// round, wrk for a few seconds (server on core 1, wrk on core 0, as bench/peer pins them), then CPU per review, peak RSS and the --trace-gc pauses.
// Usage: node bench/heapFlags.mjs [--rounds N] --set="<flags A>" --set="<flags B>" ...  (--set= is the image's flags alone: bench/servers.mjs imageNodeFlags; a later flag overrides)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, median, rssMegabytes, withCpuAccounting } from './benchUtil.mjs';
import { prepareFiles, startCredinject } from './servers.mjs';
import { ensureWrk, saturate, writeWrkScript } from './peer/loadGenerators.mjs';
import { peerReview } from './peer/peerReview.mjs';
import { parseGcTrace, summariseGcPauses } from './peer/gcTrace.mjs';

const { values } = parseArgs({ options: { set: { type: 'string', multiple: true, default: [''] }, rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '4' } } });
const sets = values.set;
const seconds = Number(values.seconds);
const missing = ensureWrk();
if (missing) throw new Error(missing);
const dir = mkdtempSync(join(tmpdir(), 'credinject-heap-'));
try {
  const files = await prepareFiles(dir);
  const bodyFile = join(dir, 'review.json');
  writeFileSync(bodyFile, JSON.stringify(peerReview()));
  const load = { script: writeWrkScript(dir, bodyFile), wrap: ['taskset', '-c', '0'] };
  const servers = [];
  for (const [i, flags] of sets.entries()) {
    const nodeArgs = ['--trace-gc', ...flags.split(' ').filter(Boolean)];
    servers.push({ flags: flags || '(defaults)', server: await startCredinject(files, dir, { name: `heap-${i}`, nodeArgs, wrap: ['taskset', '-c', '1'] }), rows: [] });
  }
  for (const s of servers) await saturate({ port: s.server.port, seconds: 5, ...load });
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      const offset = statSync(s.server.logFile).size;
      let rss = 0;
      const sampler = setInterval(() => (rss = Math.max(rss, rssMegabytes(s.server.pid))), 100);
      const m = await withCpuAccounting([s.server.pid], () => saturate({ port: s.server.port, seconds, ...load }));
      clearInterval(sampler);
      const gc = summariseGcPauses(parseGcTrace(readFileSync(s.server.logFile).subarray(offset).toString('utf8')), 2);
      s.rows.push({ cpuUs: (m.cpu[0] / m.result.requests) * 1e6, rss, gcMax: gc.maxMs, gcCount: Object.values(gc.byKind).reduce((n, k) => n + k.count, 0) });
    }
  }
  for (const s of servers) {
    const med = (key) => median(s.rows.map((r) => r[key]));
    console.log(`${s.flags.padEnd(40)} cpu ${fmt(med('cpuUs'), 0)} µs/review  peak RSS ${fmt(Math.max(...s.rows.map((r) => r.rss)), 0)} MB  GC ${fmt(med('gcCount'), 0)} pauses per ${seconds} s, max ${fmt(Math.max(...s.rows.map((r) => r.gcMax)))} ms`);
  }
  if (process.env.HEAP_FLAGS_TRACE) for (const s of servers) console.log(`${s.flags}:\n${readFileSync(s.server.logFile, 'utf8').split('\n').filter((l) => l.includes('ms: ')).slice(-6).join('\n')}`);
  for (const s of servers) await s.server.kill();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
