import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { run } from '../../src/cli/inject.js';
import { capturedIo, day } from '../fixtures/capturedIo.js';
import { certificateUntil } from '../fixtures/expiringMaterial.js';
import { credentialSecret } from '../fixtures/secrets.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const capture = () => capturedIo(now);

const pod = (name: string, credential: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations: { 'credinject.dev/inject': credential } },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
});
const deployment = (name: string, credential: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name }, annotations: { 'credinject.dev/inject': credential } }, spec: pod(name, credential).spec },
  },
});

let dir: string;
let credentials: string;
let workloads: string;
let pems: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credinject-inject-expiry-'));
  const [expired, expiring, valid] = await Promise.all([certificateUntil(at(-2 * day)), certificateUntil(at(5 * day)), certificateUntil(at(300 * day))]);
  pems = [expired, expiring, valid].flatMap((material) => [material.cert, material.key]);
  const secrets = [
    credentialSecret('old-db', 'tls', { 'tls.crt': expired.cert, 'tls.key': expired.key }, { type: 'kubernetes.io/tls' }),
    credentialSecret('soon-db', 'tls', { 'tls.crt': expiring.cert, 'tls.key': expiring.key }, { type: 'kubernetes.io/tls' }),
    credentialSecret('fresh-db', 'tls', { 'tls.crt': valid.cert, 'tls.key': valid.key }, { type: 'kubernetes.io/tls' }),
  ];
  credentials = join(dir, 'credentials.yaml');
  await writeFile(credentials, secrets.map((s) => stringify(s)).join('---\n'));
  workloads = join(dir, 'workloads.yaml');
  await writeFile(workloads, [pod('reader', 'old-db'), deployment('api', 'soon-db'), pod('fresh', 'fresh-db')].map((o) => stringify(o)).join('---\n'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inject = async (...flags: string[]) => {
  const io = capture();
  const code = await run(['-f', workloads, '--credentials', credentials, ...flags], io);
  return { code, stdout: io.out(), stderr: io.err() };
};

describe('credinject inject: expiry, as the webhook warns at admission', () => {
  it('warns on stderr about an expired credential and one that expires within 7 days, exit 0, manifests on stdout', async () => {
    const { code, stdout, stderr } = await inject();
    expect(code).toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'Warning: Pod/reader: credential "old-db" expired 2d ago (key "tls.crt", 2026-11-30T12:00:00.000Z); renew it',
      'Warning: Deployment/api: credential "soon-db" expires in 5d (key "tls.crt", 2026-12-07T12:00:00.000Z)',
    ]);
    expect(parseAllDocuments(stdout).map((d) => d.toJS().metadata.name)).toEqual(['reader', 'api', 'fresh']);
    expect(stdout).not.toMatch(/expire/);
  });

  it('never prints a certificate or key', async () => {
    const { stdout, stderr } = await inject();
    for (const pem of pems) {
      const body = pem.split('\n')[1]!;
      expect(stderr).not.toContain(body);
      expect(stdout).not.toContain(body);
    }
  });

  it('denies the object that gets an expired credential with --deny-expired: exit 1, nothing on stdout', async () => {
    const { code, stdout, stderr } = await inject('--deny-expired');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('credinject: Pod/reader denied: credential "old-db" expired 2d ago (key "tls.crt", 2026-11-30T12:00:00.000Z): renew it before the pod can start');
    expect(stderr).toContain('Warning: Deployment/api: credential "soon-db" expires in 5d');
    expect(stderr).not.toContain('Pod/fresh');
  });

  it.each([
    ['0 (never warns of what is still valid)', '0', ['old-db']],
    ['400d (warns of the 300-day one too)', '400d', ['old-db', 'soon-db', 'fresh-db']],
  ])('takes --expiry-warning %s', async (_name, window, named) => {
    const { code, stderr } = await inject('--expiry-warning', window);
    expect(code).toBe(0);
    expect([...stderr.matchAll(/credential "([a-z-]+)"/g)].map((m) => m[1])).toEqual(named);
  });

  it('refuses a window that is not a duration with exit 2', async () => {
    const { code, stderr } = await inject('--expiry-warning', 'soon');
    expect(code).toBe(2);
    expect(stderr).toContain('--expiry-warning must be a duration');
  });
});
