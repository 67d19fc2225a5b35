import { describe, expect, it } from 'vitest';
import { targetRow } from '../../bench/benchUtil.mjs';
import { targetRows } from '../../bench/targets.mjs';

describe('targetRow', () => {
  it('says MET, MISSED or NOT MEASURED', () => {
    const atMost100 = (v: number) => v <= 100;
    expect(targetRow('RSS', '<= 100 MB', 100, atMost100, ' MB')).toBe('target RSS <= 100 MB: 100 MB MET');
    expect(targetRow('RSS', '<= 100 MB', 101, atMost100, ' MB')).toBe('target RSS <= 100 MB: 101 MB MISSED');
    expect(targetRow('RSS', '<= 100 MB', NaN, atMost100)).toBe('target RSS <= 100 MB: NOT MEASURED');
    expect(targetRow('RSS', '<= 100 MB', undefined, atMost100)).toBe('target RSS <= 100 MB: NOT MEASURED');
  });
});

describe('targetRows', () => {
  // Summary lines in the shape bench/scale.mjs and bench/agentBench.mjs print them.
  const scale =
    'index 10k/50k (33% hand-wired): 214 MB RSS (+150 MB over the idle server\'s modules, heap +90 MB, peak 423 MB), ' +
    'delete-check 0.0010 ms p50 / 0.0300 ms p99 = 2.0 x floor, shared credential 0.040 ms p99; serve 240 MB RSS, peak 380 MB';

  it('reads each target of the benchmarks that ran, the performance issue\'s labelled as such', () => {
    const rows = targetRows([
      { name: 'scale', ok: true, last: scale },
      { name: 'agent', ok: true, last: 'agent: idle RSS 49.2 MB, re-render 30.1 ms (median of 5)' },
    ]);
    expect(rows).toEqual([
      'target index 10k/50k RSS <= 200 MB: 214 MB MISSED',
      'target DELETE check p99 <= 1 ms: 0.03 ms MET',
      'target DELETE check p99, shared credential <= 1 ms: 0.04 ms MET',
      'target (issue 17) index 10k/50k RSS settled <= 150 MB: 214 MB MISSED',
      // The in-process index's peak, not serve's.
      'target (issue 17) index 10k/50k RSS peak while listing <= 250 MB: 423 MB MISSED',
      'target agent idle RSS <= 50 MB: 49.2 MB MET',
    ]);
  });

  it('says NOT MEASURED for each target of a benchmark that failed, and lists none of one that did not run', () => {
    const rows = targetRows([{ name: 'peer', ok: false, last: 'Error: boom' }]);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(row).toMatch(/^target \(issue 17\) .*: NOT MEASURED$/);
    expect(targetRows([])).toEqual([]);
  });
});
