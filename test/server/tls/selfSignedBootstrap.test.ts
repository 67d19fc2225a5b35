import { X509Certificate } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { generateServingMaterial } from '../../../src/server/tls/certificates.js';
import { createServer, connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { type ServingMaterial, caValidityDays } from '../../../src/server/tls/certificates.js';
import { bootstrapSelfSigned, obtainSharedMaterial } from '../../../src/server/tls/selfSignedBootstrap.js';
import { fakeTlsClient } from './fakeTlsClient.js';

const logger = pino({ level: 'silent' });
const settings = {
  namespace: 'credinject-system',
  secretName: 'credinject-tls',
  serviceName: 'credinject',
  mutatingWebhookConfig: 'credinject',
  validatingWebhookConfig: 'credinject',
};
const webhooks = {
  mutating: { credinject: [{ name: 'pods.mutate.credinject.dev' }, { name: 'workloads.mutate.credinject.dev', caBundle: 'stale' }] },
  validating: { credinject: [{ name: 'secrets.validate.credinject.dev' }] },
};
const b64 = (text: string) => Buffer.from(text).toString('base64');
const day = 24 * 60 * 60 * 1000;

describe('self-signed bootstrap', () => {
  it('creates the Secret on the first start, with a serving cert for every Service name', async () => {
    const { client, secrets } = fakeTlsClient(webhooks);
    const material = await obtainSharedMaterial(client, settings, logger);
    const stored = secrets.get('credinject-system/credinject-tls')!;
    expect(stored.type).toBe('kubernetes.io/tls');
    expect(Object.keys(stored.data!).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(new X509Certificate(material.serving.cert).subjectAltName).toBe(
      'DNS:credinject, DNS:credinject.credinject-system, DNS:credinject.credinject-system.svc, DNS:credinject.credinject-system.svc.cluster.local',
    );
  });

  it('reads the stored Secret when it exists, so replicas share one CA', async () => {
    const { client, calls } = fakeTlsClient(webhooks);
    const first = await obtainSharedMaterial(client, settings, logger);
    const second = await obtainSharedMaterial(client, settings, logger);
    expect(second).toEqual(first);
    expect(calls).toEqual(['create', 'create', 'read']);
  });

  it('converges when replicas start at the same moment: one create wins, the rest read it', async () => {
    const { client } = fakeTlsClient(webhooks);
    const results = await Promise.all([1, 2, 3, 4].map(() => obtainSharedMaterial(client, settings, logger)));
    expect(new Set(results.map((r) => r.ca.cert)).size).toBe(1);
    expect(new Set(results.map((r) => r.serving.cert)).size).toBe(1);
  });

  it('renews a serving cert close to expiry with the stored CA (the caBundle stays valid)', async () => {
    const { client, calls } = fakeTlsClient(webhooks);
    const old = await obtainSharedMaterial(client, settings, logger, new Date(Date.now() - 810 * day));
    const renewed = await obtainSharedMaterial(client, settings, logger);
    expect(renewed.ca).toEqual(old.ca);
    expect(renewed.serving.cert).not.toBe(old.serving.cert);
    expect(calls).toContain('replace');
  });

  it('renews when the Service name changed', async () => {
    const { client } = fakeTlsClient(webhooks);
    const old = await obtainSharedMaterial(client, { ...settings, serviceName: 'old-name' }, logger);
    const renewed = await obtainSharedMaterial(client, settings, logger);
    expect(renewed.ca).toEqual(old.ca);
    expect(new X509Certificate(renewed.serving.cert).subjectAltName).toContain('DNS:credinject.credinject-system.svc');
  });

  it('replaces an unusable stored Secret with a new CA', async () => {
    const { client, secrets } = fakeTlsClient(webhooks);
    await obtainSharedMaterial(client, settings, logger);
    secrets.get('credinject-system/credinject-tls')!.data!['ca.key'] = b64('not a key');
    const renewed = await obtainSharedMaterial(client, settings, logger);
    expect(new X509Certificate(renewed.serving.cert).verify(new X509Certificate(renewed.ca.cert).publicKey)).toBe(true);
  });

  it('serves what a peer stored when its renewal won the race', async () => {
    const { client, secrets } = fakeTlsClient(webhooks);
    await obtainSharedMaterial(client, settings, logger, new Date(Date.now() - 810 * day));
    const peer = await generateServingMaterial(['credinject', 'credinject.credinject-system', 'credinject.credinject-system.svc', 'credinject.credinject-system.svc.cluster.local']);
    const racing = {
      ...client,
      async replaceSecret(namespace: string, secret: Parameters<typeof client.replaceSecret>[1]) {
        // The peer writes between our read and our replace.
        const stored = secrets.get(`${namespace}/${secret.metadata?.name}`)!;
        stored.metadata!.resourceVersion = 'peer';
        stored.data = { 'ca.crt': b64(peer.ca.cert), 'ca.key': b64(peer.ca.key), 'tls.crt': b64(peer.serving.cert), 'tls.key': b64(peer.serving.key) };
        return client.replaceSecret(namespace, secret);
      },
    };
    const result = await obtainSharedMaterial(racing, settings, logger);
    expect(result).toEqual(peer);
  });

  it('patches the CA into every webhook of both configurations', async () => {
    const { client, configs } = fakeTlsClient(webhooks);
    const material = await bootstrapSelfSigned(client, settings, logger);
    const bundles = [...configs.mutating!.credinject!, ...configs.validating!.credinject!].map((w) => w.caBundle);
    expect(bundles).toEqual([b64(material.ca.cert), b64(material.ca.cert), b64(material.ca.cert)]);
  });

  it('patches at every start but writes nothing when the bundles are current', async () => {
    const { client, calls } = fakeTlsClient(webhooks);
    await bootstrapSelfSigned(client, settings, logger);
    calls.length = 0;
    await bootstrapSelfSigned(client, settings, logger);
    expect(calls.filter((c) => c.startsWith('patch'))).toEqual([]);
  });

  it('patches only the configurations it was given', async () => {
    const { client, calls } = fakeTlsClient(webhooks);
    await bootstrapSelfSigned(client, { ...settings, validatingWebhookConfig: undefined }, logger);
    expect(calls.filter((c) => c.startsWith('patch'))).toEqual(['patch mutating']);
  });

  const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
  const published = (configs: ReturnType<typeof fakeTlsClient>['configs']) =>
    new Set([...configs.mutating!.credinject!, ...configs.validating!.credinject!].map((w) => unb64(w.caBundle)));

  /** Whether a client trusting `bundle` completes a handshake with a server presenting `pair`. */
  async function handshakes(pair: ServingMaterial['serving'], bundle: string): Promise<boolean> {
    const server = createServer({ cert: pair.cert, key: pair.key }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, ca: bundle, servername: 'credinject.credinject-system.svc' }, () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    } finally {
      server.close();
    }
  }

  describe('a CA rotation', () => {
    // A CA made this long ago has 20 days left: inside the renewal window, still valid.
    const caAge = (caValidityDays - 20) * day;
    /** The shared material as it stands just before the rotation: the old CA, and a serving certificate it renewed two years ago. */
    async function beforeRotation(client: ReturnType<typeof fakeTlsClient>['client']) {
      await bootstrapSelfSigned(client, settings, logger, new Date(Date.now() - caAge));
      return bootstrapSelfSigned(client, settings, logger, new Date(Date.now() - 2 * 365 * day));
    }

    it('publishes a caBundle with both CAs, so replicas still serving the old certificate keep working', async () => {
      const { client, configs, secrets } = fakeTlsClient(webhooks);
      const old = await beforeRotation(client);
      const rotated = await bootstrapSelfSigned(client, settings, logger);
      expect(rotated.ca.cert).not.toBe(old.ca.cert);
      expect(unb64(secrets.get('credinject-system/credinject-tls')!.data!['ca-retired.crt'])).toBe(old.ca.cert);
      const bundles = published(configs);
      expect(bundles.size).toBe(1);
      const [bundle] = [...bundles] as [string];
      expect(await handshakes(old.serving, bundle)).toBe(true);
      expect(await handshakes(rotated.serving, bundle)).toBe(true);
      // Without the overlap, a replica on the old CA fails TLS until it re-reads the Secret (hours).
      expect(await handshakes(old.serving, rotated.ca.cert)).toBe(false);
    });

    it('keeps the retired CA through a later serving renewal, and drops it from the bundle once it expired', async () => {
      const { client, configs } = fakeTlsClient(webhooks);
      const old = await beforeRotation(client);
      const rotated = await bootstrapSelfSigned(client, settings, logger);
      const renewal = await bootstrapSelfSigned(client, { ...settings, serviceName: 'renamed' }, logger);
      expect(renewal.retiredCaCert).toBe(old.ca.cert);
      expect([...published(configs)][0]).toContain(old.ca.cert.trim());
      const later = new Date(Date.now() + 21 * day);
      await bootstrapSelfSigned(client, { ...settings, serviceName: 'renamed' }, logger, later);
      expect(published(configs)).toEqual(new Set([rotated.ca.cert]));
    });
  });
});
