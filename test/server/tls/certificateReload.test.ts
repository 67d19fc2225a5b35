import { mkdtemp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/server/metrics.js';
import { generateCa, issueServingCert, type KeyPair } from '../../../src/server/tls/certificates.js';
import { secureContextOptions } from '../../../src/server/tls/contextOptions.js';
import { prepareServingTls } from '../../../src/server/tls/servingTls.js';
import { fingerprintOf, presentedFingerprint } from './handshake.js';

const hosts = ['localhost', '127.0.0.1'];
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Secret volume laid out as kubelet writes it: files are links through the `..data` link. */
async function secretVolume(pair: KeyPair) {
  const dir = await mkdtemp(join(tmpdir(), 'credinject-tls-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  let generation = 0;
  async function publish(next: KeyPair): Promise<void> {
    const folder = `..${++generation}`;
    await mkdir(join(dir, folder));
    await writeFile(join(dir, folder, 'tls.crt'), next.cert);
    await writeFile(join(dir, folder, 'tls.key'), next.key);
    await symlink(folder, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data')); // the atomic swap
  }
  await publish(pair);
  await symlink('..data/tls.crt', join(dir, 'tls.crt'));
  await symlink('..data/tls.key', join(dir, 'tls.key'));
  return { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), dir, publish };
}

async function serveFiles(files: { certFile: string; keyFile: string }, pollMs: number) {
  const metrics = createMetrics({ indexSizes: () => ({ credentials: 0, users: 0, referencedCredentials: 0 }), informerHealth: () => ({}) });
  const tls = await prepareServingTls(
    { mode: 'files', ...files, pollMs },
    { logger: pino({ level: 'silent' }), metrics, namespace: undefined, bootstrapClient: () => { throw new Error('unused'); } },
  );
  const server: Server = createServer(secureContextOptions(tls.pair), (_req, res) => res.end('ok'));
  const stop = tls.follow(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)), stop);
  return { port: (server.address() as { port: number }).port, metrics };
}

/** Polls async `check` until it holds or the deadline passes. */
async function eventuallyAsync(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Handshakes until the server presents `expected` (or the deadline passes); returns the last seen. */
async function presentedWithin(port: number, ca: string, expected: string): Promise<string> {
  let seen = '';
  await eventuallyAsync(async () => (seen = await presentedFingerprint(port, ca)) === expected, 'the new certificate').catch(() => {});
  return seen;
}

describe('certificate reload', () => {
  it('presents the new certificate after kubelet swaps ..data, without restart', async () => {
    const ca = await generateCa();
    const first = await issueServingCert(ca, hosts);
    const volume = await secretVolume(first);
    const { port } = await serveFiles(volume, 60_000); // poll far away: the directory watch must do it
    expect(await presentedFingerprint(port, ca.cert)).toBe(fingerprintOf(first.cert));

    const second = await issueServingCert(ca, hosts);
    await volume.publish(second);
    expect(await presentedWithin(port, ca.cert, fingerprintOf(second.cert))).toBe(fingerprintOf(second.cert));
  });

  it('picks up plainly overwritten files by polling', async () => {
    const ca = await generateCa();
    const first = await issueServingCert(ca, hosts);
    const dir = await mkdtemp(join(tmpdir(), 'credinject-tls-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    await writeFile(files.certFile, first.cert);
    await writeFile(files.keyFile, first.key);
    const { port, metrics } = await serveFiles(files, 100);

    const second = await issueServingCert(ca, hosts);
    await writeFile(files.keyFile, second.key);
    await writeFile(files.certFile, second.cert);
    expect(await presentedWithin(port, ca.cert, fingerprintOf(second.cert))).toBe(fingerprintOf(second.cert));
    expect(await metrics.registry.getSingleMetricAsString('credinject_tls_reloads_total')).toMatch(/result="ok"} [1-9]/);
  });

  it('keeps serving the old pair while the new certificate has no matching key yet', async () => {
    const ca = await generateCa();
    const first = await issueServingCert(ca, hosts);
    const dir = await mkdtemp(join(tmpdir(), 'credinject-tls-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    await writeFile(files.certFile, first.cert);
    await writeFile(files.keyFile, first.key);
    const { port, metrics } = await serveFiles(files, 50);

    const second = await issueServingCert(ca, hosts);
    await writeFile(files.certFile, second.cert); // half a rotation: the key is still the old one
    // Wait until the half-rotated pair was looked at and refused, then check what is served.
    await eventuallyAsync(
      async () => /result="rejected"} [1-9]/.test(await metrics.registry.getSingleMetricAsString('credinject_tls_reloads_total')),
      'the half rotation to be refused',
    );
    expect(await presentedFingerprint(port, ca.cert)).toBe(fingerprintOf(first.cert));

    await writeFile(files.keyFile, second.key);
    expect(await presentedWithin(port, ca.cert, fingerprintOf(second.cert))).toBe(fingerprintOf(second.cert));
  });

  it('keeps the TLS 1.2 floor after a reload', async () => {
    const ca = await generateCa();
    const volume = await secretVolume(await issueServingCert(ca, hosts));
    const { port } = await serveFiles(volume, 50);
    const second = await issueServingCert(ca, hosts);
    await volume.publish(second);
    await presentedWithin(port, ca.cert, fingerprintOf(second.cert));
    const legacy = new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost', minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }, () => {
        socket.end();
        reject(new Error('a TLS 1.1 handshake succeeded'));
      });
      socket.on('error', () => resolve());
    });
    await legacy;
  });
});
