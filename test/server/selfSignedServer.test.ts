import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { fixtureView } from '../admission/reviews.js';
import { startServer } from '../../src/server/start.js';
import { fakeTlsClient } from './tls/fakeTlsClient.js';
import { fingerprintOf, presentedFingerprint } from './tls/handshake.js';
import { X509Certificate } from 'node:crypto';

describe('server in self-signed mode', () => {
  it('serves the shared certificate, publishes its CA, and a second replica serves the same', async () => {
    const { client, configs, secrets } = fakeTlsClient({
      mutating: { credinject: [{ name: 'pods.mutate.credinject.dev' }] },
      validating: { credinject: [{ name: 'secrets.validate.credinject.dev' }] },
    });
    const config = {
      port: 0,
      address: '127.0.0.1',
      metricsPort: 0,
      metricsAddress: '127.0.0.1',
      shutdownDelayMs: 0,
      namespace: 'credinject-system',
      tls: {
        mode: 'self-signed' as const,
        secretName: 'credinject-tls',
        serviceName: 'credinject',
        mutatingWebhookConfig: 'credinject',
        validatingWebhookConfig: 'credinject',
      },
    };
    const quiet = new Writable({ write: (_c, _e, done) => done() });
    const replicas = await Promise.all([1, 2].map(() => startServer(config, { view: fixtureView(), tlsBootstrapClient: client, logDestination: quiet })));
    try {
      const [one, two] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
      expect(one.caCert).toBe(two.caCert);
      const served = Buffer.from(secrets.get('credinject-system/credinject-tls')!.data!['tls.crt']!, 'base64').toString('utf8');
      const servername = 'credinject.credinject-system.svc';
      expect(await presentedFingerprint(one.httpsPort, one.caCert!, servername)).toBe(fingerprintOf(served));
      expect(await presentedFingerprint(two.httpsPort, one.caCert!, servername)).toBe(fingerprintOf(served));
      const bundle = Buffer.from(configs.mutating!.credinject![0]!.caBundle!, 'base64').toString('utf8');
      expect(new X509Certificate(bundle).fingerprint256).toBe(new X509Certificate(one.caCert!).fingerprint256);
      expect(configs.validating!.credinject![0]!.caBundle).toBe(configs.mutating!.credinject![0]!.caBundle);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
