import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadClusterConnection, tokenFileRefreshMs, type ClusterConnection } from '../../src/kube/clusterConnection.js';
import { generateCa, issueServingCert, type KeyPair } from '../../src/server/tls/certificates.js';
import { kubeApi } from '../../src/kube/kubeApi.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const dir = () => mkdtempSync(join(tmpdir(), 'credinject-conn-'));

let ca: KeyPair;
let otherCa: KeyPair;
let serving: KeyPair;
let client: KeyPair;
beforeAll(async () => {
  ca = await generateCa('conn-test');
  otherCa = await generateCa('other');
  serving = await issueServingCert(ca, ['127.0.0.1', 'api.example.test']);
  const pems = await generate([{ name: 'commonName', value: 'alice' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  client = { cert: pems.cert, key: pems.private };
});

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** An API server on 127.0.0.1 that answers with what it saw: the client cert's CN and the auth headers. */
async function apiServer(): Promise<string> {
  const server = createServer({ cert: serving.cert, key: serving.key, ca: ca.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    const authorized = (req.socket as import('node:tls').TLSSocket).authorized;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ cn: authorized ? peer.subject?.CN : undefined, authorization: req.headers.authorization, impersonate: req.headers['impersonate-user'] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as { port: number }).port}`;
}

interface Seen {
  cn?: string;
  authorization?: string;
  impersonate?: string;
}
const ask = (connection: ClusterConnection) => kubeApi(connection).call<Seen>({ method: 'GET', path: '/version' });

function kubeconfig(where: string, cluster: Record<string, unknown>, user: Record<string, unknown>, extra: { name?: string; context?: Record<string, unknown> } = {}): string {
  const name = extra.name ?? 'main';
  const file = join(where, `${name}.kubeconfig`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, ...extra.context } }],
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('loadClusterConnection', () => {
  it('verifies the server with the kubeconfig CA and authenticates with a client certificate', async () => {
    const server = await apiServer();
    const file = kubeconfig(dir(), { server, 'certificate-authority-data': b64(ca.cert) }, { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) });
    expect(await ask(loadClusterConnection({ kubeconfig: file, env: {} }))).toEqual({ cn: 'alice' });
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const server = await apiServer();
    const file = kubeconfig(dir(), { server, 'certificate-authority-data': b64(otherCa.cert) }, { token: 'abc' });
    await expect(ask(loadClusterConnection({ kubeconfig: file, env: {} }))).rejects.toThrow(/certificate/i);
  });

  it('reads a YAML kubeconfig with relative file paths, a token and impersonation, and the TLS server name', async () => {
    const server = await apiServer();
    const where = dir();
    mkdirSync(join(where, 'pki'));
    writeFileSync(join(where, 'pki', 'ca.crt'), ca.cert);
    const file = join(where, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: dev',
        'clusters:',
        `- name: dev`,
        `  cluster: {server: "${server}/", certificate-authority: pki/ca.crt, tls-server-name: api.example.test}`,
        'users:',
        '- name: dev',
        '  user: {token: s3cr3t-token, as: bob}',
        'contexts:',
        '- name: dev',
        '  context: {cluster: dev, user: dev, namespace: ml}',
      ].join('\n'),
    );
    const connection = loadClusterConnection({ kubeconfig: file, env: {} });
    expect(connection.server).toBe(server); // no trailing slash
    expect(connection.namespace).toBe('ml');
    expect(await ask(connection)).toEqual({ authorization: 'Bearer s3cr3t-token', impersonate: 'bob' });
  });

  it('re-reads a token file at most once a minute, and sends basic auth for a username', async () => {
    const server = await apiServer();
    const where = dir();
    writeFileSync(join(where, 'token'), 'first\n');
    let now = 1_000_000;
    const withFile = loadClusterConnection({ kubeconfig: kubeconfig(where, { server, 'certificate-authority-data': b64(ca.cert) }, { tokenFile: 'token' }), env: {}, now: () => now });
    expect((await ask(withFile)).authorization).toBe('Bearer first');
    writeFileSync(join(where, 'token'), 'second\n');
    now += tokenFileRefreshMs - 1;
    expect((await ask(withFile)).authorization).toBe('Bearer first');
    now += 2;
    expect((await ask(withFile)).authorization).toBe('Bearer second');
    const basic = loadClusterConnection({ kubeconfig: kubeconfig(dir(), { server, 'certificate-authority-data': b64(ca.cert) }, { username: 'u', password: 'p' }), env: {} });
    expect((await ask(basic)).authorization).toBe(`Basic ${b64('u:p')}`);
  });

  it('keeps one agent for every request of a connection', async () => {
    const file = kubeconfig(dir(), { server: 'https://127.0.0.1:1' }, { token: 't' });
    const connection = loadClusterConnection({ kubeconfig: file, env: {} });
    const [a, b] = await Promise.all([connection.prepare(), connection.prepare()]);
    expect(a.agent).toBe(b.agent);
  });

  it('merges $KUBECONFIG as kubectl does (the first current-context and the first definition of a name win), then ~/.kube/config', () => {
    const where = dir();
    const first = kubeconfig(where, { server: 'https://127.0.0.1:1' }, { token: 'a' }, { name: 'first' });
    const second = kubeconfig(where, { server: 'https://127.0.0.1:2' }, { token: 'b' }, { name: 'second' });
    expect(loadClusterConnection({ env: { KUBECONFIG: [first, second].join(delimiter) } }).server).toBe('https://127.0.0.1:1');
    expect(loadClusterConnection({ env: { KUBECONFIG: [first, second].join(delimiter) }, context: 'second' }).server).toBe('https://127.0.0.1:2');
    const home = dir();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), JSON.stringify({ 'current-context': 'h', clusters: [{ name: 'h', cluster: { server: 'https://127.0.0.1:3' } }], users: [], contexts: [{ name: 'h', context: { cluster: 'h' } }] }));
    expect(loadClusterConnection({ env: { HOME: home } }).server).toBe('https://127.0.0.1:3');
  });

  it('skips $KUBECONFIG files that do not exist, as kubectl does, and says so when none does', () => {
    const where = dir();
    const real = kubeconfig(where, { server: 'https://127.0.0.1:4' }, { token: 'a' });
    const gone = join(where, 'gone.kubeconfig');
    expect(loadClusterConnection({ env: { KUBECONFIG: [gone, real].join(delimiter) } }).server).toBe('https://127.0.0.1:4');
    expect(() => loadClusterConnection({ env: { KUBECONFIG: gone } })).toThrow(`$KUBECONFIG names no file that exists (${gone})`);
  });

  it('runs in a pod from the service account folder and the service env (IPv6 in brackets)', async () => {
    const sa = dir();
    writeFileSync(join(sa, 'token'), 'pod-token\n');
    writeFileSync(join(sa, 'ca.crt'), ca.cert);
    writeFileSync(join(sa, 'namespace'), 'credinject-system');
    const server = await apiServer();
    const port = new URL(server).port;
    const connection = loadClusterConnection({ env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port }, serviceAccountDir: sa });
    expect(connection.namespace).toBe('credinject-system');
    expect(await ask(connection)).toEqual({ authorization: 'Bearer pod-token' });
    expect(loadClusterConnection({ env: { KUBERNETES_SERVICE_HOST: '::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: sa }).server).toBe('https://[::1]:443');
  });

  it('says what is wrong, naming the file, context, cluster or user, never a token', () => {
    const where = dir();
    const file = kubeconfig(where, { server: 'https://127.0.0.1:1' }, { token: 'never-shown-token' });
    const messages = [
      () => loadClusterConnection({ kubeconfig: file, context: 'nope', env: {} }),
      () => loadClusterConnection({ kubeconfig: join(where, 'missing'), env: {} }),
      () => loadClusterConnection({ kubeconfig: kubeconfig(where, { server: 'http://127.0.0.1:1' }, { token: 'never-shown-token' }, { name: 'plain' }), env: {} }),
      () => loadClusterConnection({ kubeconfig: kubeconfig(where, { server: 'https://127.0.0.1:1' }, {}, { name: 'lost', context: { cluster: 'elsewhere' } }), env: {} }),
      () => loadClusterConnection({ env: {}, serviceAccountDir: where }),
    ].map((load) => {
      try {
        load();
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(messages[0]).toBe('context "nope" is not in the kubeconfig (contexts: main)');
    expect(messages[1]).toMatch(/missing: no such file$/);
    expect(messages[2]).toMatch(/plain HTTP; set insecure-skip-tls-verify: true/);
    expect(messages[3]).toMatch(/context "lost" names cluster "elsewhere", which is not in the kubeconfig/);
    expect(messages[4]).toMatch(/^no kubeconfig: .*not a pod/);
    for (const message of messages) expect(message).not.toContain('never-shown-token');
  });

  it('runs an exec plugin through client-node, loaded only then', async () => {
    const server = await apiServer();
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec' } });
    const file = kubeconfig(
      dir(),
      { server, 'certificate-authority-data': b64(ca.cert) },
      { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`], interactiveMode: 'Never' } },
    );
    expect((await ask(loadClusterConnection({ kubeconfig: file, env: {} }))).authorization).toBe('Bearer from-exec');
  }, 30_000); // loads client-node and runs a node process

  it('runs an exec plugin from a $KUBECONFIG list whose files define the same names (the first definition wins)', async () => {
    const server = await apiServer();
    const where = dir();
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 't0k' } });
    const exec = { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`], interactiveMode: 'Never' };
    mkdirSync(join(where, 'a'));
    mkdirSync(join(where, 'b'));
    const first = kubeconfig(join(where, 'a'), { server, 'certificate-authority-data': b64(ca.cert) }, { exec });
    const second = kubeconfig(join(where, 'b'), { server: 'https://127.0.0.1:1' }, { token: 'not-this-one' });
    const connection = loadClusterConnection({ env: { KUBECONFIG: [first, second].join(delimiter) } });
    expect((await ask(connection)).authorization).toBe('Bearer t0k');
    const again = await connection.prepare();
    expect(again.headers['authorization']).toBe('Bearer t0k');
  }, 30_000); // runs a node process (the exec plugin) through client-node

  it('names the user, the field and the file it cannot read, and a user or server that is missing', async () => {
    const where = dir();
    const messageOf = (load: () => unknown) => {
      try {
        load();
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    };
    const noCert = kubeconfig(where, { server: 'https://127.0.0.1:1' }, { 'client-certificate': 'pki/alice.crt', 'client-key-data': b64('secret-key-bytes') }, { name: 'nocert' });
    expect(messageOf(() => loadClusterConnection({ kubeconfig: noCert, env: {} }))).toBe(`kubeconfig ${noCert}: user "nocert": client-certificate ${join(where, 'pki', 'alice.crt')}: no such file`);
    const noCa = kubeconfig(where, { server: 'https://127.0.0.1:1', 'certificate-authority': '/nowhere/ca.crt' }, { token: 't' }, { name: 'noca' });
    expect(messageOf(() => loadClusterConnection({ kubeconfig: noCa, env: {} }))).toBe(`kubeconfig ${noCa}: cluster "noca": certificate-authority /nowhere/ca.crt: no such file`);
    const noUser = kubeconfig(where, { server: 'https://127.0.0.1:1' }, { token: 'secret-token' }, { name: 'nouser', context: { user: 'ghost' } });
    expect(messageOf(() => loadClusterConnection({ kubeconfig: noUser, env: {} }))).toBe(`kubeconfig ${noUser}: context "nouser" names user "ghost", which is not in the kubeconfig`);
    const noServer = kubeconfig(where, {}, { token: 'secret-token' }, { name: 'noserver' });
    expect(messageOf(() => loadClusterConnection({ kubeconfig: noServer, env: {} }))).toBe(`kubeconfig ${noServer}: cluster "noserver" has no server`);
    const noCurrent = join(where, 'nocurrent.kubeconfig');
    writeFileSync(noCurrent, 'contexts: [{name: a, context: {cluster: a}}, {name: b, context: {cluster: b}}]\n');
    expect(messageOf(() => loadClusterConnection({ kubeconfig: noCurrent, env: {} }))).toBe(`kubeconfig ${noCurrent}: no current-context is set; pass --context (contexts: a, b)`);
    const tokenGone = kubeconfig(where, { server: 'https://127.0.0.1:1' }, { tokenFile: 'token' }, { name: 'tokengone' });
    await expect(loadClusterConnection({ kubeconfig: tokenGone, env: {} }).prepare()).rejects.toThrow(`kubeconfig ${tokenGone}: user "tokengone": tokenFile ${join(where, 'token')}: no such file`);
  });

  it('does not load client-node for a token or certificate kubeconfig (checked in a fresh process)', () => {
    const file = kubeconfig(dir(), { server: 'https://127.0.0.1:1' }, { token: 't' });
    const module = fileURLToPath(new URL('../../dist/kube/clusterConnection.js', import.meta.url));
    const probe = `
      const { loadClusterConnection } = await import(${JSON.stringify(module)});
      await loadClusterConnection({ kubeconfig: ${JSON.stringify(file)}, env: {} }).prepare();`;
    // A resolve hook that reports every client-node module the process loads.
    const hooks = `data:text/javascript,${encodeURIComponent(
      `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes('@kubernetes/client-node')) console.error('LOADED ' + r.url); return r; }`,
    )}`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(hooks)});`;
    const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('LOADED');
    // The same probe does see client-node when it is loaded: the check can fail.
    const control = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', `await import('@kubernetes/client-node');`], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(control.stderr).toContain('LOADED');
  }, 30_000); // two fresh node processes, one loading client-node: seconds on a busy machine
});
