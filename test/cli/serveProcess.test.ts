import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateServingMaterial } from '../../src/server/tls/certificates.js';
import { credentialsFile, loadReview } from '../admission/reviews.js';
import { repoRoot, runCli } from '../fixtures/runCli.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('credinject serve (built CLI, own process)', () => {
  it('serves from a credentials file and, on SIGTERM, finishes the request in flight and exits 0', async () => {
    const { ca, serving } = await generateServingMaterial(['localhost', '127.0.0.1']);
    const dir = await mkdtemp(join(tmpdir(), 'credinject-serve-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'tls.crt'), serving.cert);
    await writeFile(join(dir, 'tls.key'), serving.key);

    const child = spawn(
      process.execPath,
      [
        cli, 'serve',
        '--credentials-file', fileURLToPath(credentialsFile),
        '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'),
        '--port', '0', '--metrics-port', '0', '--address', '127.0.0.1', '--metrics-address', '127.0.0.1',
        '--shutdown-delay', '0.1', '--log-level', 'info',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: join(dir, 'no-such-kubeconfig') } },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanups.push(async () => child.kill('SIGKILL'));
    const logged = (message: string) =>
      new Promise<{ httpsPort?: number }>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; httpsPort?: number };
          if (entry.msg?.startsWith(message)) resolve(entry);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code} before logging "${message}"`)));
      });
    const port = (await logged('serving')).httpsPort!;

    // Half a request, then SIGTERM, then the rest: the answer must still come.
    const body = JSON.stringify(loadReview('pod-create'));
    const socket = await new Promise<ReturnType<typeof connect>>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost' }, () => resolve(s));
      s.on('error', reject);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const answered = new Promise<string>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
    socket.write(`POST /mutate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 100));
    const draining = logged('shutting down');
    child.kill('SIGTERM');
    await draining;
    socket.write(body.slice(100));

    const answer = await answered;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"patchType":"JSONPatch"');
    expect(await exited).toBe(0);
  }, 20_000);

  it('exits 2 with a clear message on invalid flags', () => {
    const result = runCli(['serve', '--tls-cert', 'c', '--tls-key', 'k', '--sidecar-mode', 'sometimes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('credinject serve: --sidecar-mode: Invalid option');
  }, 20_000);

  it('exits 1 when the certificate cannot be read', () => {
    const result = runCli(['serve', '--credentials-file', fileURLToPath(credentialsFile), '--tls-cert', '/nonexistent/c', '--tls-key', '/nonexistent/k', '--log-level', 'silent']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot start');
  }, 20_000);
});
