import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The floors of src/ (docs/architecture.md): a folder may import its own files and any folder on a
 * lower floor, never one on its own floor or above. Type-only imports count too: they are a
 * dependency even if tsc erases them.
 */
const floors: Record<string, number> = {
  contract: 0,
  credentials: 1,
  engine: 2,
  admission: 3,
  // Generic adapters: the API server, manifest files, the sidecar.
  kube: 4,
  manifests: 4,
  agent: 4,
  // The server's view of the cluster, then the features built on it.
  view: 5,
  mirror: 6,
  rotation: 6,
  policy: 6,
  // Entry points.
  server: 7,
  dashboard: 7,
  cli: 8,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const folderOf = (file: string): string => relative(src, file).split('/')[0]!;

/** Every relative import of every file, as `from-folder → to-folder (file: specifier)`. */
function crossFolderImports(): { from: string; to: string; where: string }[] {
  return sourceFiles(src).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\('(\.[^']+)'\)/g)].map((m) => (m[1] ?? m[2])!);
    return specifiers
      .map((specifier) => ({ from: folderOf(file), to: folderOf(resolve(dirname(file), specifier)), where: `${relative(src, file)}: ${specifier}` }))
      .filter(({ from, to }) => from !== to);
  });
}

describe('the floors of src/', () => {
  const imports = crossFolderImports();

  it('give every folder a floor', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((folder) => floors[folder] === undefined)).toEqual([]);
  });

  it('are only ever imported downwards: contract ← credentials ← engine ← admission ← adapters', () => {
    const upwards = imports.filter(({ from, to }) => (floors[to] ?? Infinity) >= (floors[from] ?? -Infinity)).map(({ where }) => where);
    expect(upwards).toEqual([]);
  });

  it('keep the contract free of anything of ours', () => {
    expect(imports.filter(({ from }) => from === 'contract')).toEqual([]);
  });
});
