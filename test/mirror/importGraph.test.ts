import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** Local modules and packages a module loads at run time (type-only imports are erased). */
function reachedFrom(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^']+)'/gm)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  };
  visit(join(src, entry));
  return { files: [...files].map((f) => f.slice(src.length)).sort(), packages: [...packages].sort() };
}

describe('the mirror planner', () => {
  it('is pure: no Kubernetes client, server or file system at run time', () => {
    const { files, packages } = reachedFrom('mirror/plan.ts');
    expect(packages).toEqual(['node:crypto']);
    expect(files.filter((f) => f.startsWith('kube/') || f.startsWith('server/'))).toEqual([]);
  });
});

describe('the namespace policy decisions', () => {
  it.each(['policy/checkNamespacePolicy.ts', 'policy/namespacePolicy.ts'])('%s is pure: no Kubernetes client, server or file system at run time', (entry) => {
    const { files, packages } = reachedFrom(entry);
    expect(packages.filter((p) => p.startsWith('@kubernetes/') || /^node:(fs|https?|net)/.test(p))).toEqual([]);
    expect(files.filter((f) => f.startsWith('kube/') || f.startsWith('server/') || f.startsWith('view/'))).toEqual([]);
  });
});
