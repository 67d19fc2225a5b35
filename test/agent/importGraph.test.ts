import { describe, expect, it } from 'vitest';
import { packagesReachedFrom } from '../importGraph.js';

describe('the agent sidecar', () => {
  // mustache (no dependencies of its own) is loaded only by the template renderer, on first use.
  it('loads only node builtins, pino, yaml and mustache: no zod, @kubernetes/client-node or express', () => {
    const packages = [...packagesReachedFrom('cli/agent.ts', { lazily: true })].filter((name) => !name.startsWith('node:'));
    expect(packages.sort()).toEqual(['mustache', 'pino', 'yaml']);
  });
});
