import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/dashboard.js';

const kubeconfig = join(mkdtempSync(join(tmpdir(), 'dash-cli-')), 'config');
writeFileSync(
  kubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  }),
);

async function runWith(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stopped: () => Promise.resolve(),
  });
  return { code, stdout, stderr };
}

describe('credinject dashboard flags', () => {
  it.each([
    [['--help'], 0, 'usage: credinject dashboard'],
    [['--port', 'http'], 2, '--port must be a port number'],
    [['--port', '70000'], 2, '--port must be a port number'],
    [['-n', 'ml', '-A'], 2, 'choose -n NAMESPACE or -A, not both'],
    [['--bind', '0.0.0.0'], 2, "Unknown option '--bind'"],
    [['--kubeconfig', kubeconfig, '--context', 'prod'], 1, 'context "prod" is not in the kubeconfig'],
  ])('%j exits %d saying %s', async (argv, code, text) => {
    const result = await runWith(argv);
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toContain(text);
  });
});
