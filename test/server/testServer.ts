import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import type { KubeView } from '../../src/view/view.js';
import type { ServeConfigInput } from '../../src/server/config.js';
import { startServer, type RunningServer, type ServerRuntime } from '../../src/server/start.js';
import { generateServingMaterial, type ServingMaterial } from '../../src/server/tls/certificates.js';
import { fixtureView } from '../admission/reviews.js';

let material: Promise<ServingMaterial> | undefined;
/** One CA and loopback serving cert for the whole file: generating is quick, but not free. */
export const testMaterial = (): Promise<ServingMaterial> => (material ??= generateServingMaterial(['localhost', '127.0.0.1']));

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

export interface TestServer {
  server: RunningServer;
  ca: string;
  httpsUrl: string;
  opsUrl: string;
  /** Every log line written so far, raw. */
  logText(): string;
  logLines(): Record<string, unknown>[];
}

/**
 * Starts a server on loopback ports with the fixture credentials, or with the view its config
 * names when `view` is null (a credentials file, a kubeconfig); closed after each test.
 */
export async function startTestServer(
  config: Partial<ServeConfigInput> = {},
  view: KubeView | null = fixtureView(),
  runtime: Pick<ServerRuntime, 'events' | 'namespacePolicies'> = {},
): Promise<TestServer> {
  const { ca, serving } = await testMaterial();
  const chunks: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const server = await startServer(
    {
      port: 0,
      address: '127.0.0.1',
      metricsPort: 0,
      metricsAddress: '127.0.0.1',
      logLevel: 'debug',
      shutdownDelayMs: 0,
      tls: { mode: 'pem', cert: serving.cert, key: serving.key },
      ...config,
    },
    { logDestination, ...runtime, ...(view ? { view } : {}) },
  );
  running.push(server);
  return {
    server,
    ca: ca.cert,
    httpsUrl: `https://127.0.0.1:${server.httpsPort}`,
    opsUrl: `http://127.0.0.1:${server.metricsPort}`,
    logText: () => chunks.join(''),
    logLines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
