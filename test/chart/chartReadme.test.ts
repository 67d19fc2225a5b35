/**
 * The chart README's values table is generated from the comments in values.yaml
 * (hack/chart-readme.mjs): it must be current, and every value must be documented.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../fixtures/runCli.js';
import { CHART } from './renderChart.js';

const work = mkdtempSync(join(tmpdir(), 'credinject-readme-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function generator(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'hack', 'chart-readme.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stderr: result.stderr };
}
const values = readFileSync(join(CHART, 'values.yaml'), 'utf8');
const readme = readFileSync(join(CHART, 'README.md'), 'utf8');

describe('chart README values table', () => {
  it('is what values.yaml gives (run node hack/chart-readme.mjs after changing a value)', () => {
    expect(generator('--check')).toEqual({ code: 0, stderr: '' });
  });

  it('has a row for every value the chart reads, with its default', () => {
    expect(readme).toContain('| `webhook.port` | int | `8443` | Port the webhook server listens on');
    expect(readme).toContain('| `podSecurityContext` | object | `{"runAsNonRoot":true,');
    expect(readme).toContain('| `agent.resources.requests.cpu` | string | `"10m"` |');
  });

  it('is reported stale when a default changes', () => {
    const changed = join(work, 'changed-values.yaml');
    writeFileSync(changed, values.replace('replicaCount: 2', 'replicaCount: 3'));
    const copy = join(work, 'README.md');
    writeFileSync(copy, readme);
    expect(generator('--check', '--values', changed, '--readme', copy)).toMatchObject({ code: 1, stderr: expect.stringContaining('out of date') });
    expect(generator('--values', changed, '--readme', copy).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toContain('| `replicaCount` | int | `3` |');
  });

  it('refuses a value without a comment, naming it', () => {
    const undocumented = join(work, 'undocumented-values.yaml');
    writeFileSync(undocumented, `${values}\nsurprise: 1\n`);
    const result = generator('--check', '--values', undocumented);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no comment describes surprise:');
  });
});
