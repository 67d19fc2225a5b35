import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Specifiers a module loads at run time: type-only imports and re-exports are erased by tsc. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statics = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1] as string);
  const dynamics = [...text.matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1] as string);
  return [...statics, ...dynamics];
}

/** Every package the module and its local imports load, lazily or not. */
function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(join(src, entry));
  return packages;
}

describe('the agent sidecar', () => {
  // mustache (no dependencies of its own) is loaded only by the template renderer, on first use.
  it('loads only node builtins, pino, yaml and mustache: no zod, @kubernetes/client-node or express', () => {
    const packages = [...packagesReachedFrom('cli/agent.ts')].filter((name) => !name.startsWith('node:'));
    expect(packages.sort()).toEqual(['mustache', 'pino', 'yaml']);
  });
});
