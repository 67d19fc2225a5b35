// The targets `npm run bench` closes with, read back from each benchmark's summary line (its last
// line): the benchmarks issue's, then the performance issue's (17). Pure functions.
import { targetRow } from './benchUtil.mjs';
import { peerTargets } from './peer/summary.mjs';

const number = (text, pattern) => {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
};

/** Rows per benchmark, from its summary line ('' when it failed: every row NOT MEASURED). */
const rowsOf = {
  admission: (mutate) => [
    targetRow('mutate throughput', '>= 0.6 x floor', number(mutate, /= ([\d.]+) x floor/), (v) => v >= 0.6, ' x floor'),
    targetRow('mutate p99 @500 rps (autocannon overallRate)', '<= 5 ms', number(mutate, /p99 ([\d.]+) ms @500/), (v) => v <= 5, ' ms'),
    targetRow('mutate p99 @500 rps (paced evenly)', '<= 5 ms', number(mutate, /\(paced ([\d.]+) ms\)/), (v) => v <= 5, ' ms'),
    targetRow('mutate errors', '= 0', number(mutate, /(\d+) errors/), (v) => v === 0),
  ],
  scale: (index) => {
    const settled = number(index, /: ([\d.]+) MB RSS/);
    // The in-process index's peak, in the parenthesis after its RSS (serve's comes later, without one).
    const peak = number(index, /, peak ([\d.]+) MB\)/);
    return [
      targetRow('index 10k/50k RSS', '<= 200 MB', settled, (v) => v <= 200, ' MB'),
      targetRow('DELETE check p99', '<= 1 ms', number(index, /\/ ([\d.]+) ms p99/), (v) => v <= 1, ' ms'),
      targetRow('DELETE check p99, shared credential', '<= 1 ms', number(index, /shared credential ([\d.]+) ms p99/), (v) => v <= 1, ' ms'),
      targetRow('(issue 17) index 10k/50k RSS settled', '<= 150 MB', settled, (v) => v <= 150, ' MB'),
      targetRow('(issue 17) index 10k/50k RSS peak while listing', '<= 250 MB', peak, (v) => v <= 250, ' MB'),
    ];
  },
  agent: (agent) => [targetRow('agent idle RSS', '<= 50 MB', number(agent, /idle RSS ([\d.]+) MB/), (v) => v <= 50, ' MB')],
  peer: (peer) => peerTargets(peer).map((row) => row.replace(/^target /, 'target (issue 17) ')),
};

/**
 * One row per target of the benchmarks that ran, in the order of `results`
 * ([{ name, ok, last }]): measured and MET or MISSED, or NOT MEASURED when the benchmark failed.
 */
export function targetRows(results) {
  return results.flatMap(({ name, ok, last }) => rowsOf[name]?.(ok ? last : '') ?? []);
}
