import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../../src/cli/validate.js';
import { capturedIo, day } from '../fixtures/capturedIo.js';
import { certificateUntil, jwtWithExp } from '../fixtures/expiringMaterial.js';
import { credentialSecret } from '../fixtures/secrets.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const capture = () => capturedIo(now);

let dir: string;
let file: string;
let tokenExp: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credinject-validate-'));
  const [expired, expiring, valid] = await Promise.all([certificateUntil(at(-2 * day)), certificateUntil(at(5 * day)), certificateUntil(at(300 * day))]);
  const token = jwtWithExp(at(-1 * day).getTime() / 1000);
  tokenExp = token.split('.')[1]!;
  const secrets = [
    credentialSecret('old-db', 'tls', { 'tls.crt': expired.cert, 'tls.key': expired.key }, { type: 'kubernetes.io/tls' }),
    credentialSecret('soon-db', 'tls', { 'tls.crt': expiring.cert, 'tls.key': expiring.key }, { type: 'kubernetes.io/tls' }),
    credentialSecret('fresh-db', 'tls', { 'tls.crt': valid.cert, 'tls.key': valid.key }, { type: 'kubernetes.io/tls' }),
    credentialSecret('ci-cluster', 'kubernetes', { server: 'https://k8s.example', ca_certificate: valid.cert, token }),
  ];
  file = join(dir, 'secrets.yaml');
  await writeFile(file, secrets.map((s) => stringify(s)).join('---\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('credinject validate: expiry', () => {
  it('says which credentials expired or expire soon, naming the key and date, never a value', async () => {
    const io = capture();
    expect(await run(['-f', file], io)).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^expired  old-db \(tls\)  expired \(key "tls\.crt", 2026-11-30T12:00:00\.000Z\)$/);
    expect(lines[1]).toMatch(/^ok       soon-db \(tls\)  expires in 5d \(key "tls\.crt", 2026-12-07T12:00:00\.000Z\)$/);
    expect(lines[2]).toBe('ok       fresh-db (tls)');
    expect(lines[3]).toBe('expired  ci-cluster (kubernetes)  expired (key "token", 2026-12-01T12:00:00.000Z)');
    expect(lines[4]).toBe('2 valid, 0 invalid, 2 expired');
    expect(io.out()).not.toContain(tokenExp);
    expect(io.out()).not.toContain('BEGIN');
  });

  it('fails on an expired credential with --deny-expired', async () => {
    expect(await run(['-f', file, '--deny-expired'], capture())).toBe(1);
  });

  it('widens the window with --expiry-warning', async () => {
    const io = capture();
    await run(['-f', file, '--expiry-warning', '400d'], io);
    expect(io.out()).toMatch(/ok {7}fresh-db \(tls\) {2}expires in 300d/);
  });

  it('refuses a window that is not a duration with exit 2', async () => {
    const io = capture();
    expect(await run(['-f', file, '--expiry-warning', 'soon'], io)).toBe(2);
    expect(io.err()).toContain('--expiry-warning must be a duration');
  });
});
