// Small helpers shared by the benchmarks: order statistics and what the machine was doing meanwhile.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Value at quantile q (0..1) of already sorted numbers (nearest rank). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function median(values) {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Float64Array-backed sample list: cheap to push millions of latencies. */
export function samples(capacity) {
  let data = new Float64Array(capacity);
  let length = 0;
  return {
    push(value) {
      if (length === data.length) {
        const bigger = new Float64Array(data.length * 2);
        bigger.set(data);
        data = bigger;
      }
      data[length++] = value;
    },
    get length() {
      return length;
    },
    sorted: () => data.slice(0, length).sort(),
  };
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds of this process's children that ended and were reaped so far (a load generator run). */
export function reapedChildrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/** Resident memory of a process right now, in MB (/proc/<pid>/status VmRSS). */
export function rssMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export function machineBusySeconds() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond;
}

/**
 * Measures who used the CPU during `fn`: the given processes, the children of this process that
 * ran and ended meanwhile (a load generator in its own process), and everything else on the
 * machine ("foreign" load: other engineers' test runs, editors), in cores.
 */
export async function withCpuAccounting(pids, fn) {
  const start = performance.now();
  const machine0 = machineBusySeconds();
  const children0 = reapedChildrenCpuSeconds();
  const own0 = pids.map((pid) => processCpuSeconds(pid));
  const result = await fn();
  const seconds = (performance.now() - start) / 1000;
  const own = pids.map((pid, i) => processCpuSeconds(pid) - own0[i]);
  const children = reapedChildrenCpuSeconds() - children0;
  const foreign = Math.max(0, machineBusySeconds() - machine0 - own.reduce((a, b) => a + b, 0) - children);
  return { result, seconds, cpu: own, children, foreignCores: foreign / seconds };
}

export function machineDescription() {
  const list = cpus();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${list.length} x ${list[0]?.model.trim() ?? 'cpu'}, load average ${load}, node ${process.version}`;
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function until(what, probe, timeoutMs = 15_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/**
 * One line of the closing summary: a target of the benchmarks, what was measured (undefined or NaN:
 * nothing) and whether `isMet(value)`.
 */
export function targetRow(label, goal, value, isMet, unit = '') {
  return value === undefined || Number.isNaN(value)
    ? `target ${label} ${goal}: NOT MEASURED`
    : `target ${label} ${goal}: ${value}${unit} ${isMet(value) ? 'MET' : 'MISSED'}`;
}
