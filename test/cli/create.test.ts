import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run, type CreateIo } from '../../src/cli/create.js';
import { validateCredential } from '../../src/credentials/validateCredential.js';
import { exampleSecrets } from '../fixtures/secrets.js';

const marker = 'VALUE-MARKER-7f3a';

function io(files: Record<string, string> = {}, stdin = '') {
  let out = '';
  let err = '';
  const applied: { secret: V1Secret; dryRun: boolean }[] = [];
  const value: CreateIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return files[path]!;
    },
    readStdin: async () => stdin,
    apply: async (_api, secret, dryRun) => (applied.push({ secret, dryRun }), secret),
  };
  return { io: value, out: () => out, err: () => err, applied };
}

const decoded = (secret: V1Secret) => Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

describe('credinject create: every type', () => {
  const examples = exampleSecrets().filter((s) => s.metadata?.labels?.['credinject.dev/type'] !== 'docker-registry');
  it.each(examples.map((s) => [s.metadata!.labels!['credinject.dev/type']!, s] as const))('builds a valid %s credential from files', async (type, example) => {
    const data = example.stringData ?? {};
    const files = Object.fromEntries(Object.entries(data).map(([key, value]) => [`/in/${key}`, value]));
    const t = io(files);
    const args = ['create', type, 'made', '-n', 'ml', ...Object.keys(data).flatMap((key) => ['--from-file', `${key}=/in/${key}`])].slice(1);
    expect(await run(args, t.io)).toBe(0);
    const secret = parse(t.out()) as V1Secret;
    expect(secret.metadata).toMatchObject({ name: 'made', namespace: 'ml', labels: { 'credinject.dev/type': type } });
    expect(secret.type).toBe(example.type ?? 'Opaque');
    expect(decoded(secret)).toEqual(data);
    expect(validateCredential(secret)).toEqual([]);
  });

  it('builds a docker-registry credential from --docker-* flags, as kubectl does', async () => {
    const t = io();
    expect(await run(['docker-registry', 'ghcr', '--docker-server', 'ghcr.io', '--docker-username', 'bot', '--docker-password', 'pat'], t.io)).toBe(0);
    const secret = parse(t.out()) as V1Secret;
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(decoded(secret)['.dockerconfigjson']!)).toEqual({ auths: { 'ghcr.io': { username: 'bot', password: 'pat', auth: Buffer.from('bot:pat').toString('base64') } } });
  });

  it('labels a cluster credential with its scope, selector and description', async () => {
    const t = io();
    const args = ['huggingface', 'hf', '--from-literal', 'token=hf_x', '--scope', 'cluster', '--namespace-selector', 'team=ml', '--description', 'HF read', '-n', 'credinject-system', '-o', 'json'];
    expect(await run(args, t.io)).toBe(0);
    expect(JSON.parse(t.out()).metadata).toEqual({
      name: 'hf',
      namespace: 'credinject-system',
      labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' },
      annotations: { 'credinject.dev/description': 'HF read', 'credinject.dev/namespace-selector': 'team=ml' },
    });
  });
});

describe('credinject create: inputs', () => {
  it.each([
    ['aws', { access_key_id: 'AKIA', secret_access_key: 's', region: 'eu-west-1' }, { access_key_id: 'AKIA', secret_access_key: 's', region: 'eu-west-1' }],
    ['access-key', { access_key_id: 'a', secret_access_key: 'b' }, { access_key_id: 'a', secret_access_key: 'b' }],
    ['huggingface', { token: 'hf_x' }, { token: 'hf_x' }],
  ])('reads the JSON form of %s from stdin', async (type, json, data) => {
    const t = io({}, JSON.stringify(json));
    expect(await run([type, 'x', '--from-json', '-'], t.io)).toBe(0);
    expect(decoded(parse(t.out()) as V1Secret)).toEqual(data);
  });

  it('reads the {"token", "server", "ca_certificate"} form of a kubernetes credential', async () => {
    const example = exampleSecrets().find((s) => s.metadata?.name === 'prod-cluster')!;
    const t = io({ 'cluster.json': JSON.stringify(example.stringData) });
    expect(await run(['kubernetes', 'prod', '--from-json', 'cluster.json'], t.io)).toBe(0);
    expect(Object.keys(decoded(parse(t.out()) as V1Secret)).sort()).toEqual(Object.keys(example.stringData!).sort());
  });

  it('takes a gcp service-account key file whole, as service-account.json', async () => {
    const example = exampleSecrets().find((s) => s.metadata?.labels?.['credinject.dev/type'] === 'gcp')!;
    const key = example.stringData!['service-account.json']!;
    const t = io({ 'sa.json': key });
    expect(await run(['gcp', 'sa', '--from-json', 'sa.json'], t.io)).toBe(0);
    expect(decoded(parse(t.out()) as V1Secret)).toEqual({ 'service-account.json': key });
  });

  it('reads a key from stdin with k=-, and names a file key after the file', async () => {
    const t = io({ '/run/ssh/id_ed25519': exampleSecrets().find((s) => s.metadata?.labels?.['credinject.dev/type'] === 'ssh')!.stringData!['id_ed25519']! }, 'hf_from_stdin');
    expect(await run(['huggingface', 'hf', '--from-file', 'token=-'], t.io)).toBe(0);
    expect(decoded(parse(t.out()) as V1Secret)).toEqual({ token: 'hf_from_stdin' });
    const s = io({ '/run/ssh/id_ed25519': 'x' });
    await run(['generic', 'g', '--from-file', '/run/ssh/id_ed25519'], s.io);
    expect(Object.keys(decoded(parse(s.out()) as V1Secret))).toEqual(['id_ed25519']);
  });
});

describe('credinject create: refusals name keys and flags, never values', () => {
  it.each([
    ['a missing required key', ['aws', 'x', '--from-literal', `access_key_id=${marker}`], 'missing required key "secret_access_key"'],
    ['an unknown key of a closed type', ['huggingface', 'x', '--from-literal', `token=${marker}`, '--from-literal', `extra=${marker}`], 'extra'],
    ['a value that does not parse', ['kubernetes', 'x', '--from-literal', `server=http://${marker}`, '--from-literal', `ca_certificate=${marker}`, '--from-literal', `token=${marker}`], 'must be an https:// URL'],
    ['a key given twice', ['huggingface', 'x', '--from-literal', `token=${marker}`, '--from-file', 'token=/t'], 'key "token" is given twice (--from-literal token and --from-file token)'],
    ['docker flags on another type', ['aws', 'x', '--from-literal', `access_key_id=${marker}`, '--from-literal', `secret_access_key=${marker}`, '--docker-server', 'r'], 'are for type docker-registry, not aws'],
    ['a docker login without its password', ['docker-registry', 'x', '--docker-server', 'r', '--docker-username', marker], '--docker-password is needed'],
    ['a selector without --scope cluster', ['huggingface', 'x', '--from-literal', `token=${marker}`, '--namespace-selector', 'a=b'], '--namespace-selector is for --scope cluster'],
    ['a cluster scope without selector', ['huggingface', 'x', '--from-literal', `token=${marker}`, '--scope', 'cluster'], 'needs annotation credinject.dev/namespace-selector'],
    ['a name Kubernetes refuses', ['huggingface', 'Bad_Name', '--from-literal', `token=${marker}`], 'DNS-1123'],
    ['JSON that does not parse', ['aws', 'x', '--from-json', 'bad.json'], 'bad.json is not valid JSON'],
    ['a JSON value that is an object', ['aws', 'x', '--from-json', 'nested.json'], 'JSON key "access_key_id" of nested.json must be a string'],
    ['a file that is not there', ['aws', 'x', '--from-file', 'k=/nope'], '--from-file k: cannot read /nope: ENOENT'],
    ['stdin read twice', ['aws', 'x', '--from-file', 'access_key_id=-', '--from-json', '-'], 'both read stdin'],
    ['a literal without =', ['aws', 'x', '--from-literal', marker], '--from-literal needs key=value'],
  ])('refuses %s with exit 1', async (_, args, message) => {
    const t = io({ '/t': marker, 'bad.json': `{"access_key_id": "${marker}",`, 'nested.json': JSON.stringify({ access_key_id: { v: marker } }) }, marker);
    expect(await run(args, t.io)).toBe(1);
    expect(t.err()).toContain(message);
    expect(t.err()).not.toContain(marker);
    expect(t.out()).toBe('');
  });

  it.each([
    [['vault', 'x'], 'type must be one of'],
    [['aws'], 'give a type and a name'],
    [['aws', 'x', '-o', 'table'], '-o must be yaml or json'],
    [['aws', 'x', '--dry-run', 'maybe'], '--dry-run must be client, server or none'],
  ])('refuses %j with exit 2', async (args, message) => {
    const t = io();
    expect(await run(args, t.io)).toBe(2);
    expect(t.err()).toContain(message);
  });
});

describe('credinject create: applying', () => {
  const kubeconfigFiles = async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'credinject-create-')), 'config');
    writeFileSync(path, JSON.stringify({ clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'team-a' } }], 'current-context': 'x' }));
    return path;
  };

  it.each([
    ['none', false, 'secret/hf serverside-applied\n'],
    ['server', true, undefined],
  ])('--dry-run=%s applies server-side (dry run %s) in the context namespace', async (mode, dryRun, out) => {
    const t = io();
    expect(await run(['huggingface', 'hf', '--from-literal', 'token=hf_x', '--kubeconfig', await kubeconfigFiles(), `--dry-run=${mode}`], t.io)).toBe(0);
    expect(t.applied).toHaveLength(1);
    expect(t.applied[0]).toMatchObject({ dryRun, secret: { metadata: { name: 'hf', namespace: 'team-a' } } });
    if (out) expect(t.out()).toBe(out);
    else expect(parse(t.out())).toMatchObject({ kind: 'Secret' });
  });

  it('never applies an invalid credential', async () => {
    const t = io();
    expect(await run(['aws', 'x', '--from-literal', 'access_key_id=a', '--kubeconfig', await kubeconfigFiles(), '--dry-run=none'], t.io)).toBe(1);
    expect(t.applied).toEqual([]);
  });
});
