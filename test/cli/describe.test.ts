import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { run, type ClusterReads } from '../../src/cli/describe.js';
import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import { digestKeyNotice, type DigestKeyAccess } from '../../src/view/digestKeyAccess.js';
import type { UserObject } from '../../src/view/credentialDetail.js';
import { certificateUntil } from '../fixtures/expiringMaterial.js';
import { exampleSecret } from '../fixtures/secrets.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** As the API returns a Secret: data in base64, no stringData. */
function stored(secret: V1Secret, namespace: string, extra: Partial<NonNullable<V1Secret['metadata']>> = {}): V1Secret {
  const data = Object.fromEntries(Object.entries(secret.stringData ?? {}).map(([k, v]) => [k, b64(v)]));
  return {
    ...secret,
    stringData: undefined,
    data,
    metadata: { ...secret.metadata, namespace, creationTimestamp: new Date('2026-11-29T07:00:00Z'), managedFields: [{ manager: 'credinject', operation: 'Apply', time: new Date('2026-11-29T07:00:00Z') }], ...extra },
  } as V1Secret;
}

const deployment = (name: string, annotations: Record<string, string>): UserObject => ({
  kind: 'Deployment',
  object: { metadata: { name, namespace: 'ml' }, spec: { template: { metadata: { annotations }, spec: { containers: [{ name: 'app', image: 'x' }] } } } },
});
const byHand = (name: string, secret: string): UserObject => ({
  kind: 'Pod',
  object: { metadata: { name, namespace: 'ml' }, spec: { containers: [{ name: 'app', image: 'x', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }] }] } },
});

const forbidden = { notice: digestKeyNotice({ namespace: 'credinject-system', name: 'credinject-digest-key' }, 'forbidden') };

function fake(secrets: V1Secret[], users: UserObject[], namespaces: { name: string; labels?: Record<string, string> }[] = [], key: DigestKeyAccess = forbidden): ClusterReads {
  return {
    digestKey: async () => key,
    secret: async (namespace, name) => secrets.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name),
    users: async () => users,
    namespaces: async () => namespaces,
    sameName: async (name) => secrets.filter((s) => s.metadata?.name === name).map((s) => ({ namespace: s.metadata!.namespace!, labels: s.metadata?.labels ?? {}, annotations: s.metadata?.annotations ?? {}, ...(s.data ? { data: s.data } : {}) })),
  };
}

async function describeWith(reads: ClusterReads, args: string[]) {
  let out = '';
  let err = '';
  const code = await run(args, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    now: () => now,
    reads: () => reads,
  });
  return { code, out, err };
}

// clusterTarget loads a kubeconfig before reads are asked: give it a real, unused one.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const kubeconfig = join(mkdtempSync(join(tmpdir(), 'credinject-describe-')), 'config');
writeFileSync(kubeconfig, JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'ml' } }], 'current-context': 'x' }));
const runDescribe = (reads: ClusterReads, args: string[]) => describeWith(reads, ['--kubeconfig', kubeconfig, ...args]);

describe('credinject describe', () => {
  const hf = stored(exampleSecret('hf-token'), 'ml');
  const users = [
    deployment('trainer', { 'credinject.dev/inject': 'hf-token' }),
    deployment('notebook', { 'credinject.dev/inject': 'hf-token', 'credinject.dev/render': 'hf-token:huggingface-token', 'env.credinject.dev/hf-token': 'HF_API_TOKEN=token' }),
    byHand('debug', 'hf-token'),
    deployment('other', { 'credinject.dev/inject': 'aws-s3' }),
  ];

  it('shows type, scope, status, description, creator, key names, what it injects and every user with how', async () => {
    const { code, out } = await runDescribe(fake([hf], users), ['hf-token']);
    expect(code).toBe(0);
    expect(out).toContain('Name:         hf-token\nNamespace:    ml\nType:         huggingface\nScope:        namespace\nStatus:       valid\n');
    expect(out).toContain('Expires:      <none>\nDescription:  Hugging Face Hub read token\n');
    expect(out).toContain('Created:      2026-11-29T07:00:00.000Z (3d5h ago) by credinject\n');
    expect(out).toContain('Keys:         token\nInjects:\n  Env:          HF_TOKEN, HUGGING_FACE_HUB_TOKEN\n');
    expect(out).toContain('Users:        3\n');
    expect(out).toMatch(/ {2}Deployment\/notebook +env, rendered\n {4}Env: {10}HF_API_TOKEN, HF_TOKEN_PATH\n {4}Rendered: {5}\/var\/run\/credinject\/hf-token\/ token \(huggingface-token\)\n/);
    expect(out).toMatch(/ {2}Deployment\/trainer +env\n/);
    expect(out).toMatch(/ {2}Pod\/debug +direct reference\n/);
    expect(out).not.toContain('other');
    expect(out).not.toContain('hf_fakeExample');
  });

  it('shows files with their modes and the expiry of a tls credential', async () => {
    const pair = await certificateUntil(new Date(now.getTime() + 5 * 86_400_000));
    const tls = stored({ ...exampleSecret('postgres-mtls'), stringData: { 'tls.crt': pair.cert, 'tls.key': pair.key } }, 'ml');
    const { out } = await runDescribe(fake([tls], []), ['postgres-mtls']);
    expect(out).toContain('Status:       expires in 5d\n');
    expect(out).toMatch(/Expires: {6}2026-12-07T12:00:00\.000Z \(in 5d, key "tls\.crt"\)\n/);
    expect(out).toMatch(/Files: {8}\/\S+\/ tls\.crt \(0444\), tls\.key \(0400\)\n/);
    expect(out).not.toContain('BEGIN');
  });

  it('shows a pull secret for docker-registry', async () => {
    const { out } = await runDescribe(fake([stored(exampleSecret('registry'), 'ml')], []), ['registry']);
    expect(out).toContain('  Pull secret:  imagePullSecrets\n');
  });

  it('shows where a cluster credential is mirrored: up to date, outdated, pending, conflict', async () => {
    const source = stored(exampleSecret('hf-token'), 'credinject-system', {
      labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' },
      annotations: { 'credinject.dev/namespace-selector': 'team=ml' },
    });
    // The copies' data decide, not their hash annotation (keyed: describe does not hold the key).
    const copy = (namespace: string, data: Record<string, string> | undefined, mirror = true) => ({
      ...stored(exampleSecret('hf-token'), namespace, {
        labels: { 'credinject.dev/type': 'huggingface', ...(mirror ? { 'credinject.dev/mirror': 'true' } : {}) },
        annotations: mirror ? { 'credinject.dev/mirrored-from': 'credinject-system/hf-token', 'credinject.dev/mirror-hash': 'hmac-sha256:whatever' } : {},
      }),
      ...(data ? { data } : {}),
    });
    const older = { token: Buffer.from('hf_older_value').toString('base64') };
    const namespaces = [
      { name: 'credinject-system', labels: { team: 'ml' } },
      { name: 'a', labels: { team: 'ml' } },
      { name: 'b', labels: { team: 'ml' } },
      { name: 'c', labels: { team: 'ml' } },
      { name: 'd', labels: { team: 'ml' } },
      { name: 'web', labels: { team: 'web' } },
    ];
    const reads = fake([source, copy('a', undefined), copy('b', older), copy('d', undefined, false)], [], namespaces);
    const { out } = await runDescribe(reads, ['hf-token', '-n', 'credinject-system']);
    expect(out).toContain('Scope:        cluster\n');
    expect(out).toContain('Mirrors:      selector "team=ml": 1 up to date, 1 pending, 1 outdated, 1 conflict\n');
    expect(out).toMatch(/ {2}a +up to date\n {2}b +outdated\n {2}c +pending\n {2}d +conflict\n/);
    expect(out).not.toContain('  web');
    const json = JSON.parse((await runDescribe(reads, ['hf-token', '-n', 'credinject-system', '-o', 'json'])).out);
    expect(json.mirrors.copies).toHaveLength(4);
  });

  it('prints the same detail as JSON and YAML, never a value', async () => {
    const json = await runDescribe(fake([hf], users), ['hf-token', '-o', 'json']);
    const detail = JSON.parse(json.out);
    expect(detail).toMatchObject({ name: 'hf-token', keys: ['token'], injects: { env: ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'] } });
    expect(detail.users.map((u: { kind: string; name: string; how: string[] }) => [u.kind, u.name, u.how])).toEqual([
      ['Deployment', 'notebook', ['env', 'rendered']],
      ['Deployment', 'trainer', ['env']],
      ['Pod', 'debug', ['direct reference']],
    ]);
    const yaml = await runDescribe(fake([hf], users), ['hf-token', '-o', 'yaml']);
    expect(yaml.out).toContain('name: hf-token\n');
    expect(json.out + yaml.out).not.toContain('hf_fakeExample');
  });

  it.each([
    [['ghost'], 1, 'credential "ghost" not found in namespace "ml"'],
    [['plain'], 1, 'Secret "plain" in namespace "ml" is not a credential: it has no label credinject.dev/type'],
    [[], 2, 'name one credential'],
    [['a', 'b'], 2, 'name one credential'],
    [['hf-token', '-o', 'wide'], 2, '-o must be text, json or yaml'],
  ])('%j exits %i: %s', async (args, code, message) => {
    const plain: V1Secret = { metadata: { name: 'plain', namespace: 'ml' }, data: { x: b64('y') } };
    const result = await runDescribe(fake([hf, plain], []), args);
    expect(result.code).toBe(code);
    expect(result.err).toContain(message);
  });
});

describe('credinject describe: versions', () => {
  const digestKey = Buffer.alloc(32, 3);
  const aws = (secret: string) =>
    stored({ metadata: { name: 'aws-s3', namespace: 'ml', labels: { 'credinject.dev/type': 'aws' } }, stringData: { access_key_id: 'AKIA-DESCRIBE-MARKER', secret_access_key: secret } }, 'ml');
  const current = aws('NEW-SECRET-MARKER');
  /** A pod the webhook injected while aws-s3 held `secret`: its versions over the keys it consumes. */
  const pod = (name: string, secret: string, spec: object, keys: string[], owner?: string): UserObject => ({
    kind: 'Pod',
    object: {
      metadata: {
        name,
        namespace: 'ml',
        annotations: { 'credinject.dev/versions': `aws-s3=${versionDigest(keyDigests(aws(secret), digestKey), keys)}` },
        ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: 'u', controller: true }] } : {}),
      },
      spec,
    },
  });
  const envSpec = { containers: [{ name: 'app', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } }] }] };
  const filesSpec = { containers: [{ name: 'app' }], volumes: [{ name: 'v', secret: { secretName: 'aws-s3' } }] };
  const users = [pod('env-old', 'OLD-SECRET-MARKER', envSpec, ['secret_access_key']), pod('files-old', 'OLD-SECRET-MARKER', filesSpec, ['access_key_id', 'secret_access_key'])];

  it('shows each user stale, naming the changed key, or refreshing in place, and how many are stale', async () => {
    const { code, out } = await runDescribe(fake([current], users, [], { key: digestKey }), ['aws-s3']);
    expect(code).toBe(0);
    expect(out).toContain('Users:        2\nStale:        1 of 2\n');
    expect(out).toMatch(/ {2}Pod\/env-old +direct reference\n {4}Version: {6}stale: secret_access_key changed\n/);
    expect(out).toMatch(/ {2}Pod\/files-old +direct reference\n {4}Version: {6}refreshing in place/);
    expect(out).not.toContain('Notice:');
  });

  it('gives the versions in JSON, never a value, the key or a digest', async () => {
    const { out } = await runDescribe(fake([current], users, [], { key: digestKey }), ['aws-s3', '-o', 'json']);
    const detail = JSON.parse(out);
    expect(detail.stale).toBe(1);
    expect(detail.users.map((u: { name: string; version: object }) => [u.name, u.version])).toEqual([
      ['env-old', { state: 'stale', changedKeys: ['secret_access_key'], exact: true }],
      ['files-old', { state: 'refreshing' }],
    ]);
    expect(out).not.toContain('MARKER');
    for (const digest of [digestKey.toString('base64'), ...Object.values(keyDigests(current, digestKey))]) expect(out).not.toContain(digest);
  });

  it('says unknown and why when the digest key Secret may not be read', async () => {
    const { out } = await runDescribe(fake([current], users), ['aws-s3']);
    expect(out).toContain('Stale:        ? (see the users)\n');
    expect(out).toContain('    Version:      unknown: the digest key could not be read\n');
    expect(out).toContain(`Notice:       ${forbidden.notice}\n`);
    expect(out).toContain('resourceNames: ["credinject-digest-key"], verbs: ["get"]');
  });
});
