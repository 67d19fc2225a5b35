import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import { describe, expect, it } from 'vitest';
import {
  certificateHosts,
  generateServingMaterial,
  keyPairProblem,
  serviceHosts,
} from '../../../src/server/tls/certificates.js';
import { secureContextOptions } from '../../../src/server/tls/contextOptions.js';
import { fingerprintOf, presentedFingerprint } from './handshake.js';

// DER of the signature algorithm OIDs: ecdsa-with-SHA256 (1.2.840.10045.4.3.2) and -SHA1 (…4.1).
const ecdsaSha256 = Buffer.from('06082a8648ce3d040302', 'hex');
const ecdsaSha1 = Buffer.from('06072a8648ce3d0401', 'hex');

describe('certificates', () => {
  it('makes a CA and a serving certificate it signed, with SHA-256 (Go rejects SHA-1)', async () => {
    const { ca, serving } = await generateServingMaterial(['credinject.system.svc']);
    const caCert = new X509Certificate(ca.cert);
    const servingCert = new X509Certificate(serving.cert);
    expect(caCert.ca).toBe(true);
    expect(servingCert.ca).toBe(false);
    expect(servingCert.verify(caCert.publicKey)).toBe(true);
    for (const cert of [caCert, servingCert]) {
      expect(cert.raw.includes(ecdsaSha256)).toBe(true);
      expect(cert.raw.includes(ecdsaSha1)).toBe(false);
    }
  });

  it('puts DNS names and IP addresses in the SANs', async () => {
    const { serving } = await generateServingMaterial(['localhost', '127.0.0.1', '::1', 'svc.ns.svc']);
    const cert = new X509Certificate(serving.cert);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:svc.ns.svc');
    expect(certificateHosts(cert)).toEqual(['localhost', '127.0.0.1', '0:0:0:0:0:0:0:1', 'svc.ns.svc']);
  });

  it('names a Service the four ways it is reached', () => {
    expect(serviceHosts('credinject', 'system')).toEqual([
      'credinject',
      'credinject.system',
      'credinject.system.svc',
      'credinject.system.svc.cluster.local',
    ]);
  });

  it('serves over TLS 1.2+ and verifies against the CA, by IP and by name', async () => {
    const { ca, serving } = await generateServingMaterial(['localhost', '127.0.0.1']);
    const server = createServer(secureContextOptions(serving));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await presentedFingerprint(port, ca.cert)).toBe(fingerprintOf(serving.cert));
      await expect(presentedFingerprint(port, ca.cert, 'elsewhere.example')).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      server.close();
    }
  });

  it('tells a key that belongs to another certificate', async () => {
    const one = await generateServingMaterial(['a']);
    const two = await generateServingMaterial(['b']);
    expect(keyPairProblem(one.serving)).toBeUndefined();
    expect(keyPairProblem({ cert: one.serving.cert, key: two.serving.key })).toMatch(/does not belong/);
    expect(keyPairProblem({ cert: 'garbage', key: 'garbage' })).toMatch(/not a PEM/);
  });
});
