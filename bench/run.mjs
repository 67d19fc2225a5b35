// All benchmarks, one after the other (never two at once: they would measure each other), each as
// its own child process; `npm run bench` builds first. Prints each one's output as it runs, then a
// closing summary: every benchmark's last line, and one line per target with where we stand.
// Usage: node bench/run.mjs [engine] [scale] [agent] [admission]   (default: all, in this order)
// Exit code 1 when a benchmark failed or printed no summary; missed targets are reported, not fatal
// (performance is judged from these figures, never by assertions in the unit tests).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './benchUtil.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const benchmarks = {
  engine: { script: here('./engine.mjs'), timeoutMs: 60_000, prefix: 'engine:' },
  scale: { script: here('./scale.mjs'), timeoutMs: 90_000, prefix: 'index ' },
  agent: { script: here('./agentBench.mjs'), timeoutMs: 90_000, prefix: 'agent:' },
  admission: { script: here('./admission.mjs'), timeoutMs: 180_000, prefix: 'mutate:' },
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

const number = (text, pattern) => {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
};

/** Targets of the benchmarks issue: [what, measured, goal, met?]. */
function targets(results) {
  const line = (name) => results.find((r) => r.name === name && r.ok)?.last ?? '';
  const rows = [];
  const add = (label, value, goal, met, unit = '') => {
    if (value !== undefined) rows.push(`target ${label} ${goal}: ${value}${unit} ${met(value) ? 'MET' : 'MISSED'}`);
  };
  const mutate = line('admission');
  add('mutate throughput', number(mutate, /= ([\d.]+) x floor/), '>= 0.6 x floor', (v) => v >= 0.6, ' x floor');
  const paced = number(mutate, /\(paced ([\d.]+) ms\)/);
  add('mutate p99 @500 rps (autocannon overallRate)', number(mutate, /p99 ([\d.]+) ms @500/), '<= 5 ms', (v) => v <= 5, ' ms');
  add('mutate p99 @500 rps (paced evenly)', paced, '<= 5 ms', (v) => v <= 5, ' ms');
  add('mutate errors', number(mutate, /(\d+) errors/), '= 0', (v) => v === 0);
  const index = line('scale');
  add('index 10k/50k RSS', number(index, /: ([\d.]+) MB RSS/), '<= 200 MB', (v) => v <= 200, ' MB');
  add('DELETE check p99', number(index, /\/ ([\d.]+) ms p99/), '<= 1 ms', (v) => v <= 1, ' ms');
  add('DELETE check p99, shared credential', number(index, /shared credential ([\d.]+) ms p99/), '<= 1 ms', (v) => v <= 1, ' ms');
  add('agent idle RSS', number(line('agent'), /idle RSS ([\d.]+) MB/), '<= 50 MB', (v) => v <= 50, ' MB');
  return rows;
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
for (const row of targets(results)) console.log(row);
console.log(`bench: ${results.filter((r) => r.ok).length} of ${results.length} benchmarks ran in ${results.reduce((s, r) => s + r.seconds, 0).toFixed(0)} s`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
