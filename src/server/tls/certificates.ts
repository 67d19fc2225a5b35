import { X509Certificate, createPrivateKey, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

/** A PEM certificate with its private key. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** A CA and the serving certificate it signed: what self-signed mode stores and serves. */
export interface ServingMaterial {
  ca: KeyPair;
  serving: KeyPair;
}

// EC P-256 keys are generated in milliseconds (RSA takes up to a second per replica start), and
// kube-apiserver's Go TLS accepts them. SHA-256 always: selfsigned's default is SHA-1, which Go rejects.
const keyOptions = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;
const day = 24 * 60 * 60 * 1000;
// Backdated so a node whose clock runs a little behind still accepts a fresh certificate.
const clockSkewMs = 5 * 60 * 1000;

// selfsigned ends certificates without a newline; files and bundles read better with one.
const pemLine = (pem: string): string => (pem.endsWith('\n') ? pem : `${pem}\n`);

export const caValidityDays = 3650;
export const servingValidityDays = 825;

/**
 * selfsigned, loaded when a certificate is made: it brings an ASN.1 and X.509 stack (about 17 MB
 * of RSS) that a server given its certificate, or the CLI, never needs.
 */
async function generate(...args: Parameters<typeof import('selfsigned').generate>): ReturnType<typeof import('selfsigned').generate> {
  return (await import('selfsigned')).generate(...args);
}

export async function generateCa(commonName = 'credinject-ca', now = new Date()): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: `${commonName}-${randomUUID().slice(0, 8)}` }], {
    ...keyOptions,
    notBeforeDate: new Date(now.getTime() - clockSkewMs),
    notAfterDate: new Date(now.getTime() + caValidityDays * day),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pemLine(pems.cert), key: pemLine(pems.private) };
}

/** A serving certificate for `hosts` (DNS names and IP addresses become the matching SAN kinds). */
export async function issueServingCert(ca: KeyPair, hosts: readonly string[], now = new Date()): Promise<KeyPair> {
  if (hosts.length === 0) throw new Error('a serving certificate needs at least one host');
  const pems = await generate([{ name: 'commonName', value: hosts[0]! }], {
    ...keyOptions,
    ca,
    notBeforeDate: new Date(now.getTime() - clockSkewMs),
    notAfterDate: new Date(now.getTime() + servingValidityDays * day),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) => (isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host })),
      },
    ],
  });
  return { cert: pemLine(pems.cert), key: pemLine(pems.private) };
}

/** A new CA and a serving certificate for `hosts` signed by it. */
export async function generateServingMaterial(hosts: readonly string[], now = new Date()): Promise<ServingMaterial> {
  const ca = await generateCa(undefined, now);
  return { ca, serving: await issueServingCert(ca, hosts, now) };
}

/** The names a Service is reached by from inside the cluster; the API server uses the `.svc` one. */
export function serviceHosts(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

/** Why a pair cannot be served, or undefined when the key belongs to the certificate. */
export function keyPairProblem(pair: KeyPair): string | undefined {
  try {
    const cert = new X509Certificate(pair.cert);
    return cert.checkPrivateKey(createPrivateKey(pair.key)) ? undefined : 'the key does not belong to the certificate';
  } catch (err) {
    // Parser errors name the failing step, never the PEM content.
    return `not a PEM certificate and key (${err instanceof Error ? err.message.split('\n')[0] : 'unreadable'})`;
  }
}

/** SAN DNS names and IPs of a certificate. */
export function certificateHosts(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter((entry) => entry !== '');
}
