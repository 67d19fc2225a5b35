// All benchmarks, one after the other (never two at once: they would measure each other), each as
// its own child process; `npm run bench` builds first. Prints each one's output as it runs, then a
// closing summary: every benchmark's last line, and one line per target with where we stand.
// Usage: node bench/run.mjs [engine] [scale] [agent] [admission] [rotation] [peer]   (default: all, in this order)
// Exit code 1 when a benchmark failed or printed no summary; missed targets are reported, not fatal
// (performance is judged from these figures, never by assertions in the unit tests).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './benchUtil.mjs';
import { targetRows } from './targets.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const benchmarks = {
  engine: { script: here('./engine.mjs'), timeoutMs: 60_000, prefix: 'engine:' },
  scale: { script: here('./scale.mjs'), timeoutMs: 90_000, prefix: 'index ' },
  agent: { script: here('./agentBench.mjs'), timeoutMs: 90_000, prefix: 'agent:' },
  admission: { script: here('./admission.mjs'), timeoutMs: 180_000, prefix: 'mutate:' },
  // 1,000 Deployments at qps 100 (the default qps 5 takes ~200 s: node bench/rotation.mjs 1000 5 10).
  rotation: { script: here('./rotation.mjs'), timeoutMs: 120_000, prefix: 'rotation:' },
  // Minutes more on the first run: bench/peer/build.sh builds vault-k8s (cached afterwards).
  peer: { script: here('./peer/run.mjs'), timeoutMs: 900_000, prefix: 'peer:' },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !Object.hasOwn(benchmarks, name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}\n`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);

/** Runs one benchmark with its output passed through; resolves to its last non-empty line. */
function runOne(name) {
  const { script, timeoutMs } = benchmarks[name];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') last = line.trim();
    });
    const timer = setTimeout(() => {
      process.stderr.write(`bench ${name}: still running after ${timeoutMs / 1000} s, stopping it\n`);
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (pending.trim() !== '') last = pending.trim();
      resolve({ name, code: code ?? signal, last, seconds: (performance.now() - started) / 1000 });
    });
  });
}

console.log(`bench: ${names.join(', ')} on ${machineDescription()}`);
const results = [];
for (const name of names) {
  console.log(`\n== ${name} ==`);
  const result = await runOne(name);
  result.ok = result.code === 0 && result.last.startsWith(benchmarks[name].prefix);
  results.push(result);
}

console.log(`\n== summary (${machineDescription()}) ==`);
for (const r of results) {
  console.log(r.ok ? r.last : `${benchmarks[r.name].prefix.trim()} FAILED (exit ${r.code}; last line: ${r.last || 'none'})`);
}
for (const row of targetRows(results)) console.log(row);
console.log(`bench: ${results.filter((r) => r.ok).length} of ${results.length} benchmarks ran in ${results.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
