// The e2e harness's control plane (test/e2e/harness/controlPlane.ts) for the benchmarks, which are
// plain Node scripts: the file and the files of ours it imports are transpiled (types stripped,
// nothing checked: `npm test` type-checks them) into .cache/bench/harness/, keeping their relative
// layout, so the benchmark starts etcd and kube-apiserver exactly as the e2e tests do. Their
// `import.meta.url` keeps naming the source file, so paths they derive from it (the repository
// root: hack/envtest-versions.env, .cache/envtest) stay those of the checkout.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outRoot = join(repoRoot, '.cache', 'bench', 'harness');

/** Relative `./x.js` imports of a TypeScript source, as the `.ts` files they name. */
export function relativeImports(source, file) {
  const specifiers = [...source.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)\.js'/g)].map((m) => m[1]);
  return specifiers.map((specifier) => join(dirname(file), `${specifier}.ts`));
}

/** `js` with `import.meta.url` replaced by the URL of `file`, the source it was transpiled from. */
export function withSourceLocation(js, file) {
  return js.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
}

function transpileClosure(entry) {
  const pending = [entry];
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText: js } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const outputText = withSourceLocation(js, file);
    const out = join(outRoot, relative(repoRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    pending.push(...relativeImports(source, file));
  }
  return join(outRoot, relative(repoRoot, entry)).replace(/\.ts$/, '.js');
}

/** The harness module: { startControlPlane, resolveBinDir, ... }. */
export async function loadControlPlaneHarness() {
  const built = transpileClosure(join(repoRoot, 'test', 'e2e', 'harness', 'controlPlane.ts'));
  return import(pathToFileURL(built).href);
}
