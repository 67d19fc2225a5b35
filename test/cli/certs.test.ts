import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHosts, run, type CertsIo } from '../../src/cli/certs.js';
import { keyPairProblem } from '../../src/server/tls/certificates.js';

function capture(): CertsIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, out: () => out, err: () => err };
}

const pemBlocks = (text: string) => text.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----\n/g) ?? [];

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('credinject certs', () => {
  it('prints a CA, a serving certificate for the hosts, and its key', async () => {
    const io = capture();
    expect(await run(['--hosts', '127.0.0.1,localhost,svc.ns.svc'], io)).toBe(0);
    const [ca, cert, key] = pemBlocks(io.out());
    const serving = new X509Certificate(cert!);
    expect(serving.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost, DNS:svc.ns.svc');
    expect(serving.verify(new X509Certificate(ca!).publicKey)).toBe(true);
    expect(keyPairProblem({ cert: cert!, key: key! })).toBeUndefined();
  });

  it('writes ca.crt, tls.crt and tls.key (0600) with --out-dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credinject-certs-'));
    dirs.push(dir);
    const io = capture();
    expect(await run(['--hosts', 'localhost', '--out-dir', join(dir, 'tls')], io)).toBe(0);
    const cert = await readFile(join(dir, 'tls', 'tls.crt'), 'utf8');
    const key = await readFile(join(dir, 'tls', 'tls.key'), 'utf8');
    expect(keyPairProblem({ cert, key })).toBeUndefined();
    expect(new X509Certificate(await readFile(join(dir, 'tls', 'ca.crt'))).ca).toBe(true);
    expect((await stat(join(dir, 'tls', 'tls.key'))).mode & 0o777).toBe(0o600);
    expect(io.out()).toContain('wrote ');
  });

  it.each([
    [[], '--hosts needs at least one host'],
    [['--hosts', 'good.example,Bad_Host'], 'not a DNS name or IP address: Bad_Host'],
    [['--hosts', 'a', '--days', '3'], "Unknown option '--days'"],
  ])('rejects %j with exit 2', async (args, message) => {
    const io = capture();
    expect(await run(args, io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('accepts IPv6 and wildcard names, and drops duplicates', () => {
    expect(parseHosts('::1, *.svc.example, ::1')).toEqual({ hosts: ['::1', '*.svc.example'] });
  });
});
