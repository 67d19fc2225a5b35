/**
 * A real Kubernetes control plane for the e2e tests: etcd, kube-apiserver and (optionally)
 * kube-controller-manager, started from local binaries (see hack/envtest.sh) on free loopback ports.
 *
 * Nothing here contacts anything but 127.0.0.1. There is no scheduler and no kubelet: pods stay Pending.
 *
 * Usage:
 *   const binDir = resolveBinDir();            // undefined when nothing was built
 *   const cp = await startControlPlane({ binDir });
 *   await cp.waitForDefaultServiceAccount('my-ns');
 *   ... cp.kubeConfig.makeApiClient(CoreV1Api) ...
 *   await cp.stop();
 *
 * Every process started here is stopped by stop(), on process exit, on SIGINT/SIGTERM, and (when this
 * process is killed hard) by a small detached guardian process that watches this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { generateServingMaterial } from '../../../src/server/tls/certificates.js';
import { connectKube } from '../../../src/kube/connectKube.js';
import type { KubeApi } from '../../../src/kube/kubeApi.js';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
export type Component = (typeof BINARIES)[number];

export interface StartControlPlaneOptions {
  /** Folder holding etcd, kube-apiserver and kube-controller-manager; default: resolveBinDir(). */
  binDir?: string;
  /** Start kube-controller-manager (turns Deployments into ReplicaSets and Pods, creates default
   *  ServiceAccounts). Default true. */
  withControllerManager?: boolean;
  /** Deadline for the whole start-up, in ms. Default 120000. */
  startTimeoutMs?: number;
  /** Extra flags appended to kube-apiserver's command line (e.g. `--feature-gates=...`). */
  extraApiServerArgs?: string[];
}

export interface ControlPlane {
  /** Admin kubeconfig file (token user in group system:masters). */
  kubeconfigPath: string;
  /** The same admin configuration, loaded. */
  kubeConfig: KubeConfig;
  /** The same admin configuration, through credinject's own API client (what serve uses). */
  api: KubeApi;
  /** `https://127.0.0.1:<port>` */
  apiServerUrl: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caCertPem: string;
  /** Bearer token of the admin user. */
  adminToken: string;
  /** Temporary folder holding data, certificates and the logs `<component>.log`. */
  dir: string;
  /** Log file of a component (its stdout and stderr). */
  logPath(component: Component): string;
  /** Last `lines` lines of a component's log, for failure messages. */
  logTail(component: Component, lines?: number): string;
  /** Waits until the ServiceAccount `default` exists in `namespace` (made by the controller manager);
   *  pods cannot be created in a namespace before that. */
  waitForDefaultServiceAccount(namespace: string, timeoutMs?: number): Promise<void>;
  /** Stops every process (SIGTERM, then SIGKILL after a deadline) and removes the temporary folder
   *  (kept when E2E_KEEP_TMP=1). Safe to call more than once. */
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STOP_GRACE_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Binaries

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** True when `dir` holds etcd, kube-apiserver and kube-controller-manager as executables. */
export function hasControlPlaneBinaries(dir: string): boolean {
  return BINARIES.every((bin) => isExecutableFile(join(dir, bin)));
}

function pinnedCacheDirName(): string | undefined {
  try {
    const text = readFileSync(join(REPO_ROOT, 'hack', 'envtest-versions.env'), 'utf8');
    const k8s = /^K8S_VERSION=(\S+)/m.exec(text)?.[1];
    const etcd = /^ETCD_VERSION=(\S+)/m.exec(text)?.[1];
    return k8s && etcd ? `${k8s}-etcd${etcd}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folder of control plane binaries to use, without building anything:
 * `KUBEBUILDER_ASSETS` when it holds all three binaries, else the cache folder of the versions pinned
 * in hack/envtest-versions.env, else the newest complete folder under `.cache/envtest/`
 * (or `ENVTEST_CACHE_DIR`), else undefined. Run `hack/envtest.sh` to build the cache.
 */
export function resolveBinDir(): string | undefined {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets && hasControlPlaneBinaries(assets)) return assets;

  const cacheRoot = process.env.ENVTEST_CACHE_DIR || join(REPO_ROOT, '.cache', 'envtest');
  const pinned = pinnedCacheDirName();
  if (pinned && hasControlPlaneBinaries(join(cacheRoot, pinned))) return join(cacheRoot, pinned);

  let entries: string[];
  try {
    entries = readdirSync(cacheRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => join(cacheRoot, e.name));
  } catch {
    return undefined;
  }
  const complete = entries
    .filter(hasControlPlaneBinaries)
    .map((dir) => ({ dir, mtime: statSync(dir).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  return complete[0]?.dir;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Free TCP ports on 127.0.0.1 (all held open together so they differ, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((server.address() as AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/**
 * Polls `attempt` until it returns a value other than undefined, or throws when `timeoutMs` passed
 * (the message names `what` and the last error `attempt` threw). `check` runs before each attempt
 * and may throw to stop early (e.g. a process died).
 */
export async function pollUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
  check?: () => void,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  let lastError: unknown;
  for (;;) {
    check?.();
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 500);
  }
}

interface HttpResult {
  status: number;
  body: string;
}

function httpGet(url: string, opts: { ca?: string; token?: string; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const options = { method: 'GET', headers, timeout: opts.timeoutMs ?? 2000, ...(opts.ca ? { ca: opts.ca } : {}) };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 64 * 1024) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function tailOfFile(path: string, lines = 40): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '(no log)';
  }
  const tail = text.trimEnd().split('\n').slice(-lines).join('\n');
  return tail.length > 6000 ? `…${tail.slice(-6000)}` : tail;
}

function isApiStatus(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

async function defaultServiceAccountExists(core: CoreV1Api, namespace: string): Promise<true | undefined> {
  try {
    await core.readNamespacedServiceAccount({ name: 'default', namespace });
    return true;
  } catch (err) {
    if (isApiStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Waits until the ServiceAccount `default` exists in `namespace`. */
export async function waitForDefaultServiceAccount(
  kubeConfig: KubeConfig,
  namespace: string,
  timeoutMs = 60_000,
): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await pollUntil(`ServiceAccount ${namespace}/default`, () => defaultServiceAccountExists(core, namespace), timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// Processes and clean-up

interface Proc {
  name: Component;
  child: ChildProcess;
  logPath: string;
  exited: Promise<void>;
  spawnError?: Error;
}

function isRunning(p: Proc): boolean {
  return p.child.exitCode === null && p.child.signalCode === null && p.spawnError === undefined;
}

interface Live {
  procs: Proc[];
  guardian?: ChildProcess;
  dir: string;
  keepDir: boolean;
}

const live = new Set<Live>();
let handlersInstalled = false;

/** Synchronous last-resort clean-up (process exit or a fatal signal). */
function killAllSync(): void {
  for (const l of live) {
    for (const p of l.procs) {
      if (isRunning(p)) {
        try {
          p.child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    try {
      l.guardian?.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    if (!l.keepDir) rmSync(l.dir, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllSync();
      // Nobody else handles it: keep the default behaviour (terminate by that signal).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Source of the guardian: when the parent disappears (even by SIGKILL), it stops the pids listed
 *  in the pid file and removes the folder. Runs detached, so a signal to our process group spares it. */
const GUARDIAN_SOURCE = `
const fs = require('node:fs');
const [ppid, pidFile, dir, keep] = process.argv.slice(1);
const read = () => { try { return fs.readFileSync(pidFile, 'utf8').split(/\\s+/).filter(Boolean).map(Number); } catch { return []; } };
const timer = setInterval(() => {
  try { process.kill(Number(ppid), 0); return; } catch {}
  clearInterval(timer);
  const pids = read();
  for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch {} }
  setTimeout(() => {
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch {} }
    if (keep !== '1') { try { fs.rmSync(dir, { recursive: true, force: true }); } catch {} }
    process.exit(0);
  }, 3000);
}, 500);
`;

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(https?|all|no)_proxy$/i.test(key)) delete env[key];
  }
  env.NO_PROXY = '127.0.0.1,localhost,::1';
  delete env.KUBECONFIG;
  return env;
}

function startProcess(l: Live, name: Component, bin: string, args: string[], pidFile: string): Proc {
  const logPath = join(l.dir, `${name}.log`);
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { stdio: ['ignore', fd, fd], env: childEnv(), cwd: l.dir });
  } finally {
    closeSync(fd);
  }
  const proc: Proc = {
    name,
    child,
    logPath,
    exited: new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (err) => {
        proc.spawnError = err;
        resolve();
      });
    }),
  };
  l.procs.push(proc);
  if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`, { flag: 'a' });
  return proc;
}

async function terminate(p: Proc, graceMs: number): Promise<void> {
  if (!isRunning(p)) return;
  p.child.kill('SIGTERM');
  const exited = await Promise.race([p.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!exited && isRunning(p)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

function describeExit(p: Proc): string {
  if (p.spawnError) return `${p.name} could not be started: ${p.spawnError.message}`;
  return `${p.name} exited (code ${p.child.exitCode ?? 'none'}, signal ${p.child.signalCode ?? 'none'})`;
}

// ---------------------------------------------------------------------------------------------
// Certificates and configuration

async function makeCertificates(dir: string): Promise<{ caCert: string }> {
  // The product's own generator (SHA-256, EC P-256): the CA also signs for the controller manager.
  const { ca, serving } = await generateServingMaterial(['localhost', '127.0.0.1']);
  const sa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  writeFileSync(join(dir, 'ca.crt'), ca.cert);
  writeFileSync(join(dir, 'ca.key'), ca.key, { mode: 0o600 });
  writeFileSync(join(dir, 'apiserver.crt'), serving.cert);
  writeFileSync(join(dir, 'apiserver.key'), serving.key, { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey);
  writeFileSync(join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });
  return { caCert: ca.cert };
}

function kubeconfigJson(server: string, caCert: string, token: string): string {
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'envtest', cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') } },
      ],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'admin' } }],
      'current-context': 'envtest',
    },
    null,
    2,
  )}\n`;
}

// ---------------------------------------------------------------------------------------------
// Start

/** Starts etcd, kube-apiserver and (by default) kube-controller-manager; resolves once the apiserver
 *  answers /readyz and, with the controller manager, the `default` namespace has its ServiceAccount. */
export async function startControlPlane(opts: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  const binDir = opts.binDir ?? resolveBinDir();
  if (!binDir || !hasControlPlaneBinaries(binDir)) {
    throw new Error(
      `no control plane binaries (${BINARIES.join(', ')}) ${binDir ? `in ${binDir}` : 'found'}: ` +
        'run hack/envtest.sh or set KUBEBUILDER_ASSETS',
    );
  }
  const withControllerManager = opts.withControllerManager ?? true;
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());

  installExitHandlers();
  const dir = mkdtempSync(join(tmpdir(), 'credinject-envtest-'));
  const l: Live = { procs: [], dir, keepDir: process.env.E2E_KEEP_TMP === '1' };
  live.add(l);
  const pidFile = join(dir, 'pids');
  writeFileSync(pidFile, '');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Reverse order of start: controller manager, apiserver, etcd.
      for (const p of [...l.procs].reverse()) await terminate(p, STOP_GRACE_MS);
      try {
        l.guardian?.kill('SIGKILL');
      } catch {
        /* already gone */
      }
      live.delete(l);
      if (!l.keepDir) rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const logPath = (c: Component): string => join(dir, `${c}.log`);
  const logTail = (c: Component, lines = 40): string => tailOfFile(logPath(c), lines);

  try {
    const guardian = spawn(process.execPath, ['-e', GUARDIAN_SOURCE, String(process.pid), pidFile, dir, l.keepDir ? '1' : '0'], {
      detached: true,
      stdio: 'ignore',
    });
    guardian.on('error', () => undefined);
    guardian.unref();
    l.guardian = guardian;

    const [etcdClientPort, etcdPeerPort, apiPort] = (await freePorts(3)) as [number, number, number];
    const { caCert } = await makeCertificates(dir);
    const adminToken = randomBytes(24).toString('hex');
    writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const apiServerUrl = `https://127.0.0.1:${apiPort}`;
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfigJson(apiServerUrl, caCert, adminToken), { mode: 0o600 });

    const alive = (p: Proc) => (): void => {
      if (!isRunning(p)) throw new Error(describeExit(p));
    };

    // etcd
    const etcdClientUrl = `http://127.0.0.1:${etcdClientPort}`;
    const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcd = startProcess(
      l,
      'etcd',
      join(binDir, 'etcd'),
      [
        '--name=envtest',
        `--data-dir=${join(dir, 'etcd-data')}`,
        `--listen-client-urls=${etcdClientUrl}`,
        `--advertise-client-urls=${etcdClientUrl}`,
        `--listen-peer-urls=${etcdPeerUrl}`,
        `--initial-advertise-peer-urls=${etcdPeerUrl}`,
        `--initial-cluster=envtest=${etcdPeerUrl}`,
        '--initial-cluster-state=new',
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      pidFile,
    );
    await pollUntil(
      'etcd /health',
      async () => {
        const res = await httpGet(`${etcdClientUrl}/health`);
        return res.status === 200 && res.body.includes('"true"') ? true : undefined;
      },
      remaining(),
      alive(etcd),
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- etcd log (tail) ---\n${logTail('etcd')}`);
    });

    // kube-apiserver
    const apiserver = startProcess(
      l,
      'kube-apiserver',
      join(binDir, 'kube-apiserver'),
      [
        `--etcd-servers=${etcdClientUrl}`,
        `--secure-port=${apiPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${join(dir, 'apiserver.crt')}`,
        `--tls-private-key-file=${join(dir, 'apiserver.key')}`,
        `--client-ca-file=${join(dir, 'ca.crt')}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${apiServerUrl}`,
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // The `kubernetes` Service's Endpoints would point at 127.0.0.1, which Endpoints validation
        // rejects (loopback); nothing in the tests needs them.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        '--profiling=false',
        ...(opts.extraApiServerArgs ?? []),
      ],
      pidFile,
    );
    await pollUntil(
      'kube-apiserver /readyz',
      async () => {
        const res = await httpGet(`${apiServerUrl}/readyz`, { ca: caCert, token: adminToken });
        return res.status === 200 ? true : undefined;
      },
      remaining(),
      alive(apiserver),
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- kube-apiserver log (tail) ---\n${logTail('kube-apiserver')}`);
    });

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);

    // kube-controller-manager
    if (withControllerManager) {
      const kcm = startProcess(
        l,
        'kube-controller-manager',
        join(binDir, 'kube-controller-manager'),
        [
          `--kubeconfig=${kubeconfigPath}`,
          '--controllers=*',
          '--leader-elect=false',
          '--bind-address=127.0.0.1',
          '--secure-port=0',
          `--service-account-private-key-file=${join(dir, 'sa.key')}`,
          `--root-ca-file=${join(dir, 'ca.crt')}`,
          '--use-service-account-credentials=true',
          `--cluster-signing-cert-file=${join(dir, 'ca.crt')}`,
          `--cluster-signing-key-file=${join(dir, 'ca.key')}`,
          '--service-cluster-ip-range=10.0.0.0/24',
        ],
        pidFile,
      );
      const core = kubeConfig.makeApiClient(CoreV1Api);
      await pollUntil(
        'ServiceAccount default/default (made by kube-controller-manager)',
        () => defaultServiceAccountExists(core, 'default'),
        remaining(),
        alive(kcm),
      ).catch((err: unknown) => {
        throw new Error(
          `${(err as Error).message}\n--- kube-controller-manager log (tail) ---\n${logTail('kube-controller-manager')}`,
        );
      });
    }

    return {
      kubeconfigPath,
      kubeConfig,
      api: connectKube(kubeconfigPath),
      apiServerUrl,
      caCertPem: caCert,
      adminToken,
      dir,
      logPath,
      logTail,
      waitForDefaultServiceAccount: (namespace: string, waitMs?: number) =>
        waitForDefaultServiceAccount(kubeConfig, namespace, waitMs),
      stop,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const logs = l.procs
      .filter((p) => !message.includes(`--- ${p.name} log`))
      .map((p) => `--- ${p.name} log (tail) ---\n${logTail(p.name, 15)}`)
      .join('\n');
    await stop();
    throw new Error(`control plane failed to start: ${message}${logs ? `\n${logs}` : ''}`, { cause: err });
  }
}
