import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const heapTuning = fileURLToPath(new URL('../../dist/server/heapTuning.js', import.meta.url));

/**
 * A node that keeps most of what it allocates from one site alive across scavenges, the pattern
 * that makes V8 pretenure the site; with --trace-pretenuring it prints its decisions.
 */
function pretenuringDecisions(tuned: boolean): string[] {
  const script = `
    ${tuned ? `(await import(${JSON.stringify(heapTuning)})).stopPretenuring();` : ''}
    const keep = [];
    const make = (i) => ({ id: i, name: 'n' + i, tags: [i, i + 1] });
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 20000; i++) keep.push(make(i));
      if (keep.length > 400000) keep.splice(0, 200000);
    }`;
  const child = spawnSync(process.execPath, ['--trace-pretenuring', '--trace-pretenuring-statistics', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  return child.stdout.split('\n').filter((line) => line.includes('pretenuring:'));
}

describe('stopPretenuring', () => {
  it('keeps V8 from deciding to pretenure an allocation site that it would otherwise tenure', () => {
    // The control shows the workload does make V8 tenure, so the tuned run's silence means something.
    expect(pretenuringDecisions(false).some((line) => line.includes('=> tenure'))).toBe(true);
    expect(pretenuringDecisions(true)).toEqual([]);
  });
});
