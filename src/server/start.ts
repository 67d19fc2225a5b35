import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { DestinationStream, Logger } from 'pino';
import type { BackgroundWriter } from '../kube/leadership.js';
import { obtainDigestKey } from './digestKey.js';
import { expiryPoints } from '../view/expiryPoints.js';
import { loadFileView } from '../view/fileView.js';
import type { KubeView } from '../view/view.js';
import type { NamespacePolicies } from '../policy/namespacePolicy.js';
import type { EventRecorder } from '../kube/eventRecorder.js';
import type { KubeApi } from '../kube/kubeApi.js';
import { ServeConfig, type ServeConfigInput } from './config.js';
import { createAuditLogger, createLogger, flushLogger, stdoutDestination } from './logger.js';
import { createMetrics } from './metrics.js';
import { createOpsServer } from './opsServer.js';
import { closeGracefully, listen } from './shutdown.js';
import { notReadyReason as readinessProblem } from './readiness.js';
import { createRetryGroup } from '../kube/retryGroup.js';
import { settleWithin } from '../kube/settleWithin.js';
import type { InformerHealth } from '../kube/informerHealth.js';
import { secureContextOptions } from './tls/contextOptions.js';
import type { TlsBootstrapClient } from './tls/selfSignedBootstrap.js';
import { prepareServingTls } from './tls/servingTls.js';
import { webhookListener } from './webhookApp.js';

/** Stand-ins for the outside world, for tests and the e2e harness; production passes none. */
export interface ServerRuntime {
  /** Where JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
  /** A ready-made view instead of informers or a credentials file. */
  view?: KubeView;
  /** Where Events go instead of the cluster (tests). */
  events?: EventRecorder;
  /** Namespace policies instead of a Namespace informer (tests). */
  namespacePolicies?: NamespacePolicies;
  /** The API calls of self-signed mode (default: the kubeconfig's cluster). */
  tlsBootstrapClient?: TlsBootstrapClient;
}

export interface RunningServer {
  /** The bound ports (useful with port 0). */
  httpsPort: number;
  metricsPort: number;
  /** The CA the serving certificate chains to, in self-signed mode. */
  caCert?: string;
  ready(): boolean;
  /** Graceful stop: readiness false, drain delay, stop accepting, finish in-flight requests, close. */
  close(): Promise<void>;
}

/** How long shutdown waits for each clean-up (Event flush, writers) once the drain is over. */
const cleanupTimeoutMs = 1_000;

/** The view of `--credentials-file`; what it had to skip is logged, not a reason to refuse to start. */
async function staticView(path: string, logger: Logger): Promise<KubeView> {
  const view = await loadFileView(path);
  for (const problem of view.problems) logger.warn({ file: path, problem }, 'skipped a malformed object of the credentials file');
  return view;
}

/**
 * Starts the webhook server in this process: view (cluster or file), TLS, the HTTPS webhook port and
 * the plain-HTTP ops port. Resolves once both ports listen; readiness follows the informers' sync.
 */
export async function startServer(input: ServeConfigInput, runtime: ServerRuntime = {}): Promise<RunningServer> {
  const config = ServeConfig.parse(input);
  const logDestination = runtime.logDestination ?? stdoutDestination();
  const logger = createLogger(config.logLevel, logDestination);
  // Metrics read the view at scrape time and the view reports restarts to the metrics, so the
  // metrics come first and find the view through this variable.
  let view: KubeView | undefined;
  let informerHealth = (): Record<string, InformerHealth> => view?.informerHealth() ?? {};
  let draining = false;
  const metrics = createMetrics({
    indexSizes() {
      const usage = view?.usage.sizes() ?? { users: 0, credentials: 0 };
      return { credentials: view?.credentials.size() ?? 0, users: usage.users, referencedCredentials: usage.credentials };
    },
    informerHealth: () => informerHealth(),
    credentialExpiries: () => expiryPoints(view?.credentials.list() ?? []),
  });

  // Only touch a kubeconfig when something needs the cluster: static mode runs without one.
  const clusterMode = !runtime.view && !config.credentialsFile;
  const needsCluster = clusterMode || (config.tls.mode === 'self-signed' && !runtime.tlsBootstrapClient);
  // The cluster's modules only when the cluster is used.
  const kube = needsCluster ? await import('./clusterParts.js') : undefined;
  const parts = (): NonNullable<typeof kube> => {
    if (!kube) throw new Error('the cluster modules are not loaded: nothing of this configuration needs a cluster');
    return kube;
  };
  let api: KubeApi | undefined;
  const cluster = () => (api ??= parts().connectKube(config.kubeconfig));
  // One retry group: every informer talks to the same API server, so one reconnecting means the
  // server is back for all of them (issue 11: backoff grown during an outage kept views off for 30 s).
  const informerOptions = {
    silenceMs: config.watchSilenceMs,
    retryGroup: createRetryGroup(),
    onRestart: (resource: string) => metrics.countInformerRestart(resource),
  };
  const rotating = config.rotation.enabled && clusterMode;
  const mirroring = config.mirror.enabled && clusterMode;
  // Read (or made) before the informers start, so every credential arrives with its keyed digests;
  // mirroring keys its mirror hash with it too. Only rotation turns on the view's per-key digests
  // (and Pods' credinject.dev/versions).
  const digestKey = rotating || mirroring
    ? await obtainDigestKey(runtime.tlsBootstrapClient ?? parts().kubeTlsBootstrapClient(cluster()), config.namespace!, config.rotation.digestKeySecret, logger)
    : undefined;
  view =
    runtime.view ??
    (config.credentialsFile ? await staticView(config.credentialsFile, logger) : parts().startClusterView(cluster(), { logger, ...informerOptions, ...(digestKey && rotating ? { digestKey } : {}) }));
  const activeView = view;
  const cleanups: (() => unknown)[] = [() => activeView.stop()];
  // Namespace policy needs the Namespaces' annotations: an informer of its own, against a cluster.
  const namespacePolicies = clusterMode ? parts().startNamespacePolicies(cluster(), { logger, ...informerOptions }) : undefined;
  if (namespacePolicies) {
    const { informer } = namespacePolicies;
    cleanups.push(() => informer.stop());
    informerHealth = () => ({ ...activeView.informerHealth(), [informer.name]: informer.health() });
  }
  const policies = runtime.namespacePolicies ?? namespacePolicies?.policies;
  // Events (DeletionBlocked) are written by the replica that answered; flushed on the way out.
  const events =
    runtime.events ??
    (clusterMode ? parts().createEventRecorder({ client: parts().kubeEventClient(cluster()), instance: config.mirror.identity ?? hostname(), logger }) : undefined);
  if (events) cleanups.push(() => events.flush());
  let stopLeading: (() => Promise<void>) | undefined;
  try {
    // Only against a real cluster: the background writers write Secrets and workloads. One Lease
    // elects the replica that runs them all; it never gates readiness, and a follower replica only
    // keeps trying for the Lease.
    const writers: BackgroundWriter[] = [];
    if (mirroring && digestKey) {
      writers.push(
        parts().mirrorBackgroundWriter(cluster(), {
          namespace: config.namespace!,
          resyncMs: config.mirror.resyncMs,
          logger,
          metrics,
          informer: informerOptions,
          credentials: activeView.credentials,
          digestKey,
        }),
      );
    }
    if (rotating) {
      writers.push(
        parts().rotationBackgroundWriter(cluster(), {
          quietPeriodMs: config.rotation.quietPeriodMs,
          qps: config.rotation.qps,
          burst: config.rotation.burst,
          defaultAction: config.rotation.defaultAction,
          credentials: activeView.credentials,
          ...(activeView.serviceAccounts ? { serviceAccounts: activeView.serviceAccounts } : {}),
          ...(events ? { events } : {}),
          metrics,
          logger,
          informer: informerOptions,
        }),
      );
    }
    if (writers.length > 0) {
      const election = parts().startLeadership(cluster(), { namespace: config.namespace!, logger, ...(config.mirror.identity ? { identity: config.mirror.identity } : {}) }, writers);
      stopLeading = () => election.stop();
      cleanups.push(stopLeading);
    }
    const tls = await prepareServingTls(config.tls, {
      logger,
      metrics,
      namespace: config.namespace,
      bootstrapClient: () => runtime.tlsBootstrapClient ?? parts().kubeTlsBootstrapClient(cluster()),
    });
    const app = webhookListener({
      store: activeView,
      ...(policies ? { policies } : {}),
      ...(events ? { events } : {}),
      secrets: { injectorNamespace: config.namespace, mirroring: config.mirror.enabled && clusterMode },
      injection: config.injection,
      expiry: config.expiry,
      logger,
      audit: createAuditLogger(config.logLevel, logDestination),
      metrics,
      bodyLimitBytes: config.bodyLimitBytes,
      isDraining: () => draining,
    });
    // The check interval makes requestTimeout bite within a second instead of Node's default 30 s.
    // The handshake gets the same bound: a connection that never starts TLS is dropped then, not
    // after Node's default 120 s.
    const options: ServerOptions = { ...secureContextOptions(tls.pair), connectionsCheckingInterval: 1000, handshakeTimeout: config.requestTimeoutMs };
    const https = createHttpsServer(options, app);
    https.requestTimeout = config.requestTimeoutMs;
    https.headersTimeout = config.requestTimeoutMs;
    // Longer than the API server's idle timeout (90 s): the client closes idle connections, not us,
    // so a request never races our close on a reused connection.
    https.keepAliveTimeout = 120_000;
    cleanups.push(tls.follow(https));
    const httpsPort = await listen(https, config.port, config.address);
    cleanups.push(() => closeGracefully(https, 1000));

    const notReadyReason = (): string | undefined => readinessProblem(draining, informerHealth());
    const ops = createOpsServer({ registry: metrics.registry, notReadyReason });
    const metricsPort = await listen(ops, config.metricsPort, config.metricsAddress);
    logger.info({ httpsPort, metricsPort, tls: config.tls.mode, static: Boolean(config.credentialsFile), mirroring: config.mirror.enabled, rotation: rotating }, 'serving');

    let closing: Promise<void> | undefined;
    const handle: RunningServer = {
      httpsPort,
      metricsPort,
      ready: () => notReadyReason() === undefined,
      close() {
        closing ??= (async () => {
          draining = true;
          logger.info({ delayMs: config.shutdownDelayMs }, 'shutting down: readiness false, draining');
          // The Lease goes while this replica drains, so the next leader takes it meanwhile; its
          // wait is bounded, so an API server that never answers costs no more than the delay.
          const leaving = stopLeading?.();
          if (config.shutdownDelayMs > 0) await delay(config.shutdownDelayMs);
          await leaving;
          await closeGracefully(https, config.shutdownTimeoutMs);
          // Informers abort their requests; anything else that waits on the API server gets a bound.
          for (const cleanup of cleanups.reverse()) {
            if ((await settleWithin(Promise.resolve().then(cleanup), cleanupTimeoutMs)) === 'timeout') logger.warn('a clean-up step did not finish in time; going on');
          }
          await closeGracefully(ops, 1000);
          logger.info('stopped');
          await flushLogger(logger);
        })();
        return closing;
      },
    };
    if (tls.caCert) handle.caCert = tls.caCert;
    return handle;
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw err;
  }
}
