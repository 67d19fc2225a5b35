// The peer benchmark's figures: per-pair ratios over A/B rounds, the summary line (its last line,
// which bench/run.mjs reads back) and the targets of the performance issue. Pure functions.
import { fmt, median, targetRow } from '../benchUtil.mjs';

/**
 * Median over rounds of a/b for `key`, each ratio taken within one round (the two measured back to
 * back), so a drift of the machine's load between rounds cancels out. NaN when either is missing.
 */
export function pairRatio(results, a, b, key) {
  const as = results[a] ?? [];
  const bs = results[b] ?? [];
  const ratios = [];
  for (let i = 0; i < Math.min(as.length, bs.length); i++) ratios.push(as[i][key] / bs[i][key]);
  return ratios.length > 0 ? median(ratios) : NaN;
}

/** Order of the servers in round `round`: rotated, and reversed every other round (A B, B A, ...). */
export function roundOrder(names, round) {
  const rotated = names.map((_, i) => names[(i + round) % names.length]);
  return round % 2 === 0 ? rotated : rotated.reverse();
}

const med = (results, name, key) => (results[name]?.length ? median(results[name].map((m) => m[key])) : NaN);
const max = (results, name, key) => (results[name]?.length ? Math.max(...results[name].map((m) => m[key])) : NaN);

/**
 * The figures of the summary from the rounds' measurements (keyed by server name), the GC run and
 * the idle cluster-mode run (either may be undefined: not measured).
 */
export function peerFigures(results, gc, idle) {
  const all = Object.values(results).flat();
  return {
    cpu: med(results, 'credinject', 'cpuUs'),
    vaultCpu: med(results, 'vault-k8s', 'cpuUs'),
    parseFloorCpu: med(results, 'parse-floor', 'cpuUs'),
    goFloorCpu: med(results, 'go-floor', 'cpuUs'),
    cpuVsVault: pairRatio(results, 'credinject', 'vault-k8s', 'cpuUs'),
    cpuVsParseFloor: pairRatio(results, 'credinject', 'parse-floor', 'cpuUs'),
    cpuVsGoFloor: pairRatio(results, 'credinject', 'go-floor', 'cpuUs'),
    perCore: med(results, 'credinject', 'perCore'),
    perCoreVsVault: pairRatio(results, 'credinject', 'vault-k8s', 'perCore'),
    // Memory only grows under load: the highest of the rounds is the sustained-load figure.
    rss: max(results, 'credinject', 'rssMb'),
    vaultRss: max(results, 'vault-k8s', 'rssMb'),
    p99: med(results, 'credinject', 'pacedP99'),
    vaultP99: med(results, 'vault-k8s', 'pacedP99'),
    goFloorP99: med(results, 'go-floor', 'pacedP99'),
    gcMaxMs: gc?.maxMs ?? NaN,
    gcOver2: gc?.overLimit ?? NaN,
    idleClusterRss: idle?.rssMb ?? NaN,
    errors: all.reduce((n, m) => n + m.errors, 0),
    foreign: all.length ? Math.max(...all.map((m) => m.foreignCores)) : NaN,
  };
}

/** The summary line (starts with `peer:`). */
export function formatPeerSummary(f) {
  return (
    `peer: CPU/review credinject ${fmt(f.cpu, 0)} µs = ${fmt(f.cpuVsVault)} x vault-k8s (${fmt(f.vaultCpu, 0)} µs), ` +
    `${fmt(f.cpuVsParseFloor)} x parse floor (${fmt(f.parseFloorCpu, 0)} µs), ${fmt(f.cpuVsGoFloor)} x Go floor (${fmt(f.goFloorCpu, 0)} µs); ` +
    `req/s per core ${fmt(f.perCore, 0)} = ${fmt(f.perCoreVsVault)} x vault-k8s; ` +
    `RSS under load ${fmt(f.rss, 0)} MB = ${fmt(f.rss / f.vaultRss)} x vault-k8s (${fmt(f.vaultRss, 0)} MB); ` +
    `p99 @500 req/s ${fmt(f.p99)} ms (vault-k8s ${fmt(f.vaultP99)} ms, Go floor ${fmt(f.goFloorP99)} ms); ` +
    `GC max pause ${fmt(f.gcMaxMs)} ms (${fmt(f.gcOver2, 0)} over 2 ms); idle in cluster mode ${fmt(f.idleClusterRss, 0)} MB; ` +
    `errors ${f.errors}; other load ${fmt(f.foreign)} cores`
  );
}

const num = (line, pattern) => {
  const value = pattern.exec(line)?.[1];
  return value === undefined || value === 'n/a' ? NaN : Number(value);
};
const n = '([\\d.]+|n/a)';

/** The figures the targets need, read back from a summary line (NaN where it says n/a). */
export function parsePeerSummary(line) {
  return {
    cpuVsVault: num(line, new RegExp(`µs = ${n} x vault-k8s`)),
    cpuVsParseFloor: num(line, new RegExp(`${n} x parse floor`)),
    rss: num(line, new RegExp(`RSS under load ${n} MB`)),
    rssVsVault: num(line, new RegExp(`MB = ${n} x vault-k8s`)),
    p99: num(line, new RegExp(`p99 @500 req/s ${n} ms`)),
    gcMaxMs: num(line, new RegExp(`GC max pause ${n} ms`)),
    idleClusterRss: num(line, new RegExp(`idle in cluster mode ${n} MB`)),
    errors: num(line, /errors (\d+)/),
  };
}

/**
 * The targets of the performance issue (17) this benchmark measures, one row each, from its
 * summary line; NOT MEASURED for each when the line is not one (a skip, a failure, nothing).
 */
export function peerTargets(line) {
  const f = parsePeerSummary(line.startsWith('peer: CPU/review') ? line : '');
  return [
    targetRow('CPU per review vs vault-k8s', '<= 0.4 x', f.cpuVsVault, (v) => v <= 0.4, ' x'),
    targetRow('CPU per review vs Node parse floor', '<= 2.5 x', f.cpuVsParseFloor, (v) => v <= 2.5, ' x'),
    targetRow('RSS under load', '<= 100 MB', f.rss, (v) => v <= 100, ' MB'),
    targetRow('RSS under load vs vault-k8s', '<= 2 x', f.rssVsVault, (v) => v <= 2, ' x'),
    targetRow('RSS idle in cluster mode', '<= 90 MB', f.idleClusterRss, (v) => v <= 90, ' MB'),
    targetRow('p99 @500 req/s (open loop, own process)', '<= 2 ms', f.p99, (v) => v <= 2, ' ms'),
    targetRow('GC pause in a --trace-gc run', '<= 2 ms', f.gcMaxMs, (v) => v <= 2, ' ms'),
    targetRow('peer errors', '= 0', f.errors, (v) => v === 0, ''),
  ];
}
