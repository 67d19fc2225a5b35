import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Specifiers a module loads at run time: tsc erases `import type`, and keeps an import whose names
 * are all `type`-marked as a bare import (verbatimModuleSyntax), so that one counts.
 */
function runtimeImports(file: string, lazily: boolean): string[] {
  const text = readFileSync(file, 'utf8');
  const statics = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1] as string);
  const dynamics = lazily ? [...text.matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1] as string) : [];
  return [...statics, ...dynamics];
}

/** Every package a module of src/ and its local imports load: at start only, or lazily too. */
export function packagesReachedFrom(entry: string, { lazily }: { lazily: boolean }): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImports(file, lazily)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(join(src, entry));
  return packages;
}
