import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relativeImports, withSourceLocation } from '../../../bench/peer/harness.mjs';

describe('relativeImports', () => {
  it('names the .ts files of relative .js imports, type-only ones included, and skips packages', () => {
    const source = [
      "import { spawn } from 'node:child_process';",
      "import { CoreV1Api } from '@kubernetes/client-node';",
      "import { generateServingMaterial } from '../../../src/server/tls/certificates.js';",
      "import type { Options } from './options.js';",
    ].join('\n');
    expect(relativeImports(source, '/repo/test/e2e/harness/controlPlane.ts')).toEqual([
      '/repo/src/server/tls/certificates.ts',
      '/repo/test/e2e/harness/options.ts',
    ]);
  });
});

describe('withSourceLocation', () => {
  it('makes import.meta.url name the source file, so paths derived from it stay the checkout\'s', () => {
    const file = join('/repo', 'test', 'e2e', 'harness', 'controlPlane.ts');
    const js = "const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));";
    expect(withSourceLocation(js, file)).toBe(`const REPO_ROOT = fileURLToPath(new URL('../../../', ${JSON.stringify(pathToFileURL(file).href)}));`);
  });
});
