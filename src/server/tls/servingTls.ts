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
    const material = await bootstrapSelfSigned(deps.bootstrapClient(), { ...config, namespace: deps.namespace ?? '' }, logger);
    return { pair: material.serving, caCert: material.ca.cert, follow: noFollow };
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
