import type { Server as TlsServer, SecureContextOptions } from 'node:tls';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../e2e/harness/controlPlane.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { generateServingMaterial, serviceHosts } from '../../../src/server/tls/certificates.js';
import { prepareServingTls } from '../../../src/server/tls/servingTls.js';
import { fakeTlsClient } from './fakeTlsClient.js';

const logger = pino({ level: 'silent' });
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('self-signed serving TLS of a running replica', () => {
  it('serves the certificate a peer renewed into the shared Secret, without a restart', async () => {
    const { client, secrets, calls } = fakeTlsClient({});
    const metrics = createMetrics({ indexSizes: () => ({ credentials: 0, users: 0, referencedCredentials: 0 }), informerHealth: () => ({}) });
    const config = { mode: 'self-signed' as const, secretName: 'credinject-tls', serviceName: 'credinject', recheckMs: 20 };
    const tls = await prepareServingTls(config, { logger, metrics, namespace: 'credinject-system', bootstrapClient: () => client });
    const served: SecureContextOptions[] = [];
    const stop = tls.follow({ setSecureContext: (options: SecureContextOptions) => served.push(options) } as unknown as TlsServer);
    try {
      // Nothing changes while the Secret stays the same: wait for two rechecks, not for a clock.
      const reads = calls.filter((call) => call === 'read').length;
      await pollUntil('two rechecks', async () => (calls.filter((call) => call === 'read').length >= reads + 2 ? true : undefined), 5_000);
      expect(served).toEqual([]);
      const peer = await generateServingMaterial(serviceHosts('credinject', 'credinject-system'));
      const stored = secrets.get('credinject-system/credinject-tls')!;
      stored.data = { 'ca.crt': b64(peer.ca.cert), 'ca.key': b64(peer.ca.key), 'tls.crt': b64(peer.serving.cert), 'tls.key': b64(peer.serving.key) };
      await pollUntil('the replica to serve the peer certificate', async () => (served.length > 0 ? true : undefined), 5_000);
      expect(served[0]?.cert).toBe(peer.serving.cert);
    } finally {
      stop();
    }
  });
});
