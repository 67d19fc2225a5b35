import type { Server as TlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { TlsConfig } from '../config.js';
import type { ServerMetrics } from '../metrics.js';
import { keyPairProblem, type KeyPair } from './certificates.js';
import { secureContextOptions } from './contextOptions.js';
import { readKeyPairFiles, watchKeyPairFiles } from './fileKeyPair.js';
import { bootstrapSelfSigned, type TlsBootstrapClient } from './selfSignedBootstrap.js';

export interface ServingTls {
  pair: KeyPair;
  /** The CA the pair chains to, when we made it (self-signed mode). */
  caCert?: string;
  /** Keeps `server` serving the current pair (file mode); returns the stop function. */
  follow(server: TlsServer): () => void;
}

export interface ServingTlsDeps {
  logger: Logger;
  metrics: ServerMetrics;
  namespace: string | undefined;
  bootstrapClient: () => TlsBootstrapClient;
}

/** The first pair to serve, from whichever source the config names, and how to keep it current. */
export async function prepareServingTls(config: TlsConfig, deps: ServingTlsDeps): Promise<ServingTls> {
  const logger = deps.logger.child({ component: 'tls' });
  const noFollow = () => () => {};
  if (config.mode === 'self-signed') {
    const client = deps.bootstrapClient();
    const settings = { ...config, namespace: deps.namespace ?? '' };
    let current = await bootstrapSelfSigned(client, settings, logger);
    return {
      pair: current.serving,
      caCert: current.ca.cert,
      // A replica can run for longer than its certificate lives, and a peer may renew the shared
      // Secret: re-run the (idempotent) bootstrap now and then and serve whatever it settles on.
      follow(server) {
        const timer = setInterval(() => {
          bootstrapSelfSigned(client, settings, logger).then(
            (next) => {
              if (next.serving.cert === current.serving.cert) return;
              server.setSecureContext(secureContextOptions(next.serving));
              current = next;
              deps.metrics.countCertificateReload('ok');
              logger.info({ secret: config.secretName }, 'serving the renewed certificate from the shared Secret');
            },
            (err: unknown) => {
              deps.metrics.countCertificateReload('rejected');
              logger.warn({ secret: config.secretName, problem: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'could not re-read the TLS Secret; keeping the current certificate');
            },
          );
        }, config.recheckMs);
        timer.unref();
        return () => clearInterval(timer);
      },
    };
  }
  const pair = config.mode === 'pem' ? { cert: config.cert, key: config.key } : await readKeyPairFiles(config);
  const problem = keyPairProblem(pair);
  if (problem) throw new Error(`cannot serve the TLS certificate: ${problem}`);
  if (config.mode === 'pem') return { pair, follow: noFollow };
  return {
    pair,
    follow(server) {
      const watcher = watchKeyPairFiles(config, pair, {
        logger,
        pollMs: config.pollMs,
        onChange(next) {
          server.setSecureContext(secureContextOptions(next));
          deps.metrics.countCertificateReload('ok');
          logger.info({ certFile: config.certFile }, 'reloaded the serving certificate');
        },
        onError: () => deps.metrics.countCertificateReload('rejected'),
      });
      return () => watcher.stop();
    },
  };
}
