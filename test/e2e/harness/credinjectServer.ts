/**
 * The real webhook server for the e2e tests: `node dist/cli/main.js serve ...` as a child process,
 * serving a certificate for 127.0.0.1 made by `credinject certs` (or self-signed mode), talking to the
 * control plane with its admin kubeconfig (or another). Its log goes to `<control plane dir>/<logName>.log`.
 *
 * Every server started here is stopped by stop(), on process exit, on SIGINT/SIGTERM, and (when the
 * test process is killed hard) by the control plane's guardian, which reads the pid file we append to.
 *
 * Build first (`npm run test:e2e` does): the harness runs dist/, not the sources.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { generateServingMaterial } from '../../../src/server/tls/certificates.js';

import { freePorts, pollUntil, type ControlPlane } from './controlPlane.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'main.js');
export const AGENT_IMAGE = 'registry.example.com/credinject/agent:e2e';

/** The server drains for 5 s after SIGTERM (shutdownDelayMs), then closes; allow for both. */
const STOP_GRACE_MS = 30_000;

export interface ServingCertificate {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A CA and a serving certificate for `127.0.0.1` (IP SAN), made by the product's own generator. */
export async function makeServingCertificate(): Promise<ServingCertificate> {
  const { ca, serving } = await generateServingMaterial(['127.0.0.1']);
  return { caPem: ca.cert, certPem: serving.cert, keyPem: serving.key };
}

/** Self-signed mode (`serve --self-signed`): the server makes its CA, keeps it in a Secret of
 *  `--namespace` and patches the caBundle of the named configurations. Its certificate names the
 *  Service (`<service>.<namespace>.svc`), so the API server cannot call it at 127.0.0.1. */
export interface SelfSignedTls {
  secretName: string;
  serviceName: string;
  mutatingWebhookConfig?: string;
  validatingWebhookConfig?: string;
}

export interface StartCredinjectOptions {
  /** Log file name under the control plane's dir (default `credinject`). */
  logName?: string;
  logLevel?: 'info' | 'debug';
  sidecarMode?: 'native' | 'legacy';
  /** Kubeconfig the server uses (default: the control plane's admin kubeconfig). */
  kubeconfigPath?: string;
  /** Default: files made by `credinject certs --hosts 127.0.0.1`, so the product's dev certificates
   *  are what Go's TLS stack (kube-apiserver) checks. */
  tls?: 'credinject-certs' | SelfSignedTls;
  /** Extra `serve` flags. */
  extraArgs?: string[];
  /** Deadline for `/readyz`, in ms (default 60000). */
  readyTimeoutMs?: number;
}

export interface CredinjectServer {
  /** `https://127.0.0.1:<port>`: the base URL for webhookConfigurationsForUrl. */
  url: string;
  /** The CA of the serving certificate, the webhooks' caBundle (undefined in self-signed mode: read
   *  it from the server's Secret). */
  caPem: string | undefined;
  httpsPort: number;
  metricsPort: number;
  pid: number;
  logPath: string;
  logTail(lines?: number): string;
  /** The server's JSON log lines parsed (non-JSON lines skipped). */
  logRecords(): Record<string, unknown>[];
  /** Body of `GET /metrics`. */
  metrics(): Promise<string>;
  /** SIGTERM, then SIGKILL after a deadline. Resolves with the exit code (null when killed). Idempotent. */
  stop(): Promise<number | null>;
}

// ---------------------------------------------------------------------------------------------
// Clean-up of every server this process started

const live = new Set<ChildProcess>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      live.clear();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

// ---------------------------------------------------------------------------------------------

function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function tail(path: string, lines: number): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '(no log)';
  }
  const out = text.trimEnd().split('\n').slice(-lines).join('\n');
  return out.length > 6000 ? `…${out.slice(-6000)}` : out;
}

/** Fails with a readable message when dist/ is missing; warns when it is older than src/cli/serve.ts. */
function checkBuilt(): void {
  if (!existsSync(CLI_ENTRY)) {
    throw new Error(`${CLI_ENTRY} is missing: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
  }
  const source = join(REPO_ROOT, 'src', 'server', 'start.ts');
  if (existsSync(source) && statSync(source).mtimeMs > statSync(CLI_ENTRY).mtimeMs) {
    console.warn('credinject e2e: dist/ looks older than src/; run `npm run build` to test the current code');
  }
}

const execFileAsync = promisify(execFile);

/** A serving certificate for 127.0.0.1 as files in `dir` (ca.crt, tls.crt, tls.key), by `credinject certs`. */
async function servingCertificateFiles(dir: string): Promise<{ caPem: string; certFile: string; keyFile: string }> {
  try {
    await execFileAsync(process.execPath, [CLI_ENTRY, 'certs', '--hosts', '127.0.0.1', '--out-dir', dir], { timeout: 30_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`credinject certs --hosts 127.0.0.1 failed: ${stderr.trim() || (err as Error).message}`, { cause: err });
  }
  return { caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'), certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
}

/**
 * Starts `credinject serve` against the control plane and resolves once `/readyz` answers 200 (the
 * informers have synced). Fails early, with the server's log, when the process exits.
 */
export async function startCredinjectServer(cp: ControlPlane, opts: StartCredinjectOptions = {}): Promise<CredinjectServer> {
  checkBuilt();
  installExitHandlers();
  const logName = opts.logName ?? 'credinject';
  const logPath = join(cp.dir, `${logName}.log`);
  const tls = opts.tls ?? 'credinject-certs';
  let caPem: string | undefined;
  let tlsArgs: string[];
  if (typeof tls === 'object') {
    tlsArgs = ['--self-signed', '--tls-secret-name', tls.secretName, '--service-name', tls.serviceName];
    if (tls.mutatingWebhookConfig) tlsArgs.push('--mutating-webhook-config', tls.mutatingWebhookConfig);
    if (tls.validatingWebhookConfig) tlsArgs.push('--validating-webhook-config', tls.validatingWebhookConfig);
  } else {
    const files = await servingCertificateFiles(join(cp.dir, `${logName}-tls`));
    caPem = files.caPem;
    tlsArgs = ['--tls-cert', files.certFile, '--tls-key', files.keyFile];
  }
  const [httpsPort, metricsPort] = (await freePorts(2)) as [number, number];

  const args = [
    CLI_ENTRY,
    'serve',
    '--address', '127.0.0.1',
    '--port', String(httpsPort),
    '--metrics-address', '127.0.0.1',
    '--metrics-port', String(metricsPort),
    ...tlsArgs,
    '--kubeconfig', opts.kubeconfigPath ?? cp.kubeconfigPath,
    '--namespace', 'credinject-system',
    '--log-level', opts.logLevel ?? 'info',
    '--sidecar-mode', opts.sidecarMode ?? 'native',
    '--agent-image', AGENT_IMAGE,
    ...(opts.extraArgs ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_PROXY: '127.0.0.1,localhost,::1' };
  for (const key of Object.keys(env)) if (/^(https?|all)_proxy$/i.test(key)) delete env[key];
  delete env.KUBECONFIG;

  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, { stdio: ['ignore', fd, fd], env, cwd: REPO_ROOT });
  } finally {
    closeSync(fd);
  }
  let spawnError: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
    child.once('error', (err) => {
      spawnError = err;
      live.delete(child);
      resolve(null);
    });
  });
  live.add(child);
  // The control plane's guardian kills every pid in this file if the test process dies hard.
  const pidFile = join(cp.dir, 'pids');
  if (child.pid !== undefined && existsSync(pidFile)) appendFileSync(pidFile, `${child.pid}\n`);

  let stopping: Promise<number | null> | undefined;
  const stop = (): Promise<number | null> => {
    stopping ??= (async () => {
      if (spawnError || !isRunning(child)) return exited;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!done && isRunning(child)) child.kill('SIGKILL');
      return exited;
    })();
    return stopping;
  };

  const metricsBase = `http://127.0.0.1:${metricsPort}`;
  try {
    await pollUntil(
      'credinject /readyz',
      async () => ((await httpGet(`${metricsBase}/readyz`)).status === 200 ? true : undefined),
      opts.readyTimeoutMs ?? 60_000,
      () => {
        if (spawnError) throw new Error(`credinject serve could not be started: ${spawnError.message}`);
        if (!isRunning(child)) throw new Error(`credinject serve exited (code ${child.exitCode}, signal ${child.signalCode})`);
      },
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- credinject log (tail) ---\n${tail(logPath, 30)}`, { cause: err });
  }

  return {
    url: `https://127.0.0.1:${httpsPort}`,
    caPem,
    httpsPort,
    metricsPort,
    pid: child.pid ?? -1,
    logPath,
    logTail: (lines = 40) => tail(logPath, lines),
    logRecords() {
      let text: string;
      try {
        text = readFileSync(logPath, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    },
    async metrics() {
      const res = await httpGet(`${metricsBase}/metrics`);
      if (res.status !== 200) throw new Error(`GET /metrics: HTTP ${res.status}`);
      return res.body;
    },
    stop,
  };
}
