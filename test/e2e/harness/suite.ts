/**
 * One e2e test file's world: a control plane, the credinject server as a child process, and the
 * shipped webhook configurations pointing at it. Without control plane binaries the suites skip with
 * one line, except under CI=true, where they fail (see controlPlane.e2e.test.ts).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resolveBinDir, startControlPlane, type ControlPlane } from './controlPlane.js';
import { startCredinjectServer, type CredinjectServer, type StartCredinjectOptions } from './credinjectServer.js';
import { registerGuard, type RegisteredGuard } from './guard.js';
import { registerWebhooks, type RegisteredWebhooks } from './webhooks.js';

export const binDir = resolveBinDir();
export const inCI = process.env.CI === 'true';
/** Skip the suite: no binaries and not in CI (in CI, run it and let startControlPlane fail loudly). */
export const skipE2E = !binDir && !inCI;

/** One line saying why `suite` is skipped, when it is. */
export function announceSkip(suite: string): void {
  if (skipE2E) {
    console.warn(`skipping ${suite} e2e: no etcd/kube-apiserver/kube-controller-manager (run hack/envtest.sh or set KUBEBUILDER_ASSETS)`);
  }
}

export interface E2ESuite {
  cp: ControlPlane;
  server: CredinjectServer;
  webhooks: RegisteredWebhooks;
  /** The shipped ValidatingAdmissionPolicy and binding, enforced. */
  guard: RegisteredGuard;
  /** Tails of the server's and the API server's logs, for a failed test. */
  diagnostics(): string;
  stop(): Promise<void>;
}

export interface StartSuiteOptions {
  server?: StartCredinjectOptions;
}

export async function startSuite(opts: StartSuiteOptions = {}): Promise<E2ESuite> {
  const cp = await startControlPlane(binDir ? { binDir } : {});
  let server: CredinjectServer | undefined;
  try {
    server = await startCredinjectServer(cp, opts.server);
    if (!server.caPem) throw new Error('startSuite serves certificate files; self-signed mode has no 127.0.0.1 certificate');
    // The guard first: it can only be seen to deny while no webhook injects the probe Pod.
    const guard = await registerGuard(cp.kubeConfig);
    const webhooks = await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem });
    const running = server;
    return {
      cp,
      server: running,
      webhooks,
      guard,
      diagnostics: () =>
        `--- credinject log (tail) ---\n${running.logTail(25)}\n--- kube-apiserver log (tail) ---\n${cp.logTail('kube-apiserver', 15)}`,
      async stop() {
        await running.stop();
        await cp.stop();
      },
    };
  } catch (err) {
    await server?.stop();
    await cp.stop();
    throw err;
  }
}

/**
 * The suite of the enclosing `describe`: started before its tests, stopped after them, with the
 * logs' tails printed for a failed test. Its fields can be read once the suite's beforeAll ran.
 */
export function useSuite(opts: StartSuiteOptions = {}): E2ESuite {
  let started: E2ESuite | undefined;
  const current = (): E2ESuite => {
    if (!started) throw new Error('the e2e suite has not started (did its beforeAll fail?)');
    return started;
  };
  beforeAll(async () => {
    started = await startSuite(opts);
  }, 180_000);
  afterAll(async () => {
    await started?.stop();
  }, 60_000);
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && started) console.error(started.diagnostics());
  });
  return {
    get cp() {
      return current().cp;
    },
    get server() {
      return current().server;
    },
    get webhooks() {
      return current().webhooks;
    },
    get guard() {
      return current().guard;
    },
    diagnostics: () => current().diagnostics(),
    stop: () => current().stop(),
  };
}
