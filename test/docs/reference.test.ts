import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serveFlags } from '../../src/cli/serveFlags.js';
import { keys } from '../../src/contract/keys.js';
import { renderFormats } from '../../src/contract/agentPlanNames.js';
import { userKinds } from '../../src/contract/workloadKinds.js';
import { credentialTypeNames } from '../../src/credentials/registry.js';
import { createMetrics } from '../../src/server/metrics.js';

const reference = readFileSync(new URL('../../docs/reference.md', import.meta.url), 'utf8');
const missing = (names: readonly string[]): string[] => names.filter((name) => !reference.includes(`\`${name}`));

describe('docs/reference.md', () => {
  it('lists every label and annotation key', () => {
    expect(missing(Object.values(keys))).toEqual([]);
  });

  it('lists every serve flag', () => {
    expect(missing(serveFlags.map((flag) => `--${flag.name}`))).toEqual([]);
  });

  it('lists every metric of our own', async () => {
    const metrics = createMetrics({ indexSizes: () => ({ credentials: 0, users: 0, referencedCredentials: 0 }), informerHealth: () => ({}) });
    const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name).filter((name) => name.startsWith('credinject_'));
    expect(names.length).toBeGreaterThan(0);
    expect(missing(names)).toEqual([]);
  });

  it('lists every workload kind, credential type and render format', () => {
    expect(missing([...userKinds.map((info) => info.apiVersion), ...credentialTypeNames, ...renderFormats])).toEqual([]);
    for (const info of userKinds) expect(reference).toContain(`| ${info.kind} |`);
  });
});
