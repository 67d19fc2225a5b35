import { X509Certificate } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import {
  certificateHosts,
  generateServingMaterial,
  issueServingCert,
  keyPairProblem,
  serviceHosts,
  type ServingMaterial,
} from './certificates.js';
import { webhookCaBundlePatch, type WebhookConfigKind } from './caBundlePatch.js';

/**
 * The few API calls self-signed mode makes, with conflicts as values rather than exceptions. The
 * real one lives in `kube/`; tests use an in-memory fake.
 */
export interface TlsBootstrapClient {
  /** `exists` when a Secret of that name is already there (HTTP 409 AlreadyExists). */
  createSecret(namespace: string, secret: V1Secret): Promise<'created' | 'exists'>;
  readSecret(namespace: string, name: string): Promise<V1Secret>;
  /** Replaces with the `resourceVersion` it carries; `conflict` when someone wrote in between. */
  replaceSecret(namespace: string, secret: V1Secret): Promise<'replaced' | 'conflict'>;
  readWebhookConfiguration(kind: WebhookConfigKind, name: string): Promise<{ webhooks: { name: string; caBundle?: string }[] }>;
  patchWebhookConfiguration(kind: WebhookConfigKind, name: string, patch: object[]): Promise<void>;
}

export interface SelfSignedSettings {
  namespace: string;
  secretName: string;
  serviceName: string;
  mutatingWebhookConfig?: string | undefined;
  validatingWebhookConfig?: string | undefined;
}

/**
 * What the shared Secret holds: the current CA and serving pair, and the CA it replaced. Replicas
 * that have not re-read the Secret yet (they do every few hours) still serve a certificate of the
 * old CA, so the published caBundle holds both until the old one expires.
 */
export interface SharedMaterial extends ServingMaterial {
  /** PEM of the CA before the last CA rotation, kept for the caBundle while it is valid. */
  retiredCaCert?: string | undefined;
}

/** Renew the serving certificate this long before it expires (at the next start of any replica). */
const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined): string => Buffer.from(text ?? '', 'base64').toString('utf8');

const retiredCaKey = 'ca-retired.crt';

function toSecret(settings: SelfSignedSettings, material: SharedMaterial, base?: V1Secret): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    // Keeping the read metadata keeps its resourceVersion: the replace is a compare-and-swap.
    metadata: base?.metadata ?? {
      name: settings.secretName,
      namespace: settings.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'credinject', 'app.kubernetes.io/component': 'webhook-tls' },
    },
    type: 'kubernetes.io/tls',
    // The CA key is kept so any replica can renew the serving certificate without changing the
    // caBundle; whoever can read this Secret can read the serving key already.
    data: {
      'ca.crt': b64(material.ca.cert),
      'ca.key': b64(material.ca.key),
      'tls.crt': b64(material.serving.cert),
      'tls.key': b64(material.serving.key),
      ...(material.retiredCaCert ? { [retiredCaKey]: b64(material.retiredCaCert) } : {}),
    },
  };
}

function fromSecret(secret: V1Secret): SharedMaterial {
  const data = secret.data ?? {};
  const material: SharedMaterial = {
    ca: { cert: unb64(data['ca.crt']), key: unb64(data['ca.key']) },
    serving: { cert: unb64(data['tls.crt']), key: unb64(data['tls.key']) },
  };
  if (data[retiredCaKey]) material.retiredCaCert = unb64(data[retiredCaKey]);
  return material;
}

/** A CA certificate that a replica's serving certificate may still chain to at `now`, if it parses. */
function stillTrusted(pem: string | undefined, now: Date): string | undefined {
  if (!pem) return undefined;
  try {
    const cert = new X509Certificate(pem);
    return cert.ca && new Date(cert.validTo).getTime() > now.getTime() ? pem : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The PEM bundle the webhooks should trust: the current CA, and during a CA rotation the retired
 * one while it is valid, so that the API server accepts replicas on either until all have moved.
 */
export function caBundleOf(material: SharedMaterial, now = new Date()): string {
  const retired = stillTrusted(material.retiredCaCert, now);
  return retired ? `${material.ca.cert.trimEnd()}\n${retired.trimEnd()}\n` : material.ca.cert;
}

/** Why stored material cannot be served as is: `ca` when the CA itself is unusable. */
function materialProblem(material: ServingMaterial, hosts: string[], now: Date): { ca: boolean; problem: string } | undefined {
  const caProblem = keyPairProblem(material.ca);
  if (caProblem) return { ca: true, problem: `CA: ${caProblem}` };
  const ca = new X509Certificate(material.ca.cert);
  if (!ca.ca || new Date(ca.validTo).getTime() - now.getTime() < renewBeforeMs) return { ca: true, problem: 'CA expires soon' };
  const servingProblem = keyPairProblem(material.serving);
  if (servingProblem) return { ca: false, problem: servingProblem };
  const serving = new X509Certificate(material.serving.cert);
  if (!serving.verify(ca.publicKey)) return { ca: false, problem: 'serving certificate not signed by the CA' };
  if (new Date(serving.validTo).getTime() - now.getTime() < renewBeforeMs) return { ca: false, problem: 'serving certificate expires soon' };
  const covered = new Set(certificateHosts(serving));
  const missing = hosts.filter((host) => !covered.has(host));
  if (missing.length > 0) return { ca: false, problem: `serving certificate lacks ${missing.join(', ')}` };
  return undefined;
}

/**
 * Serving material shared by every replica through one Secret. Create first and read on
 * AlreadyExists, so concurrent starts converge on whichever create won, without a leader. A stored
 * certificate that expires soon or lacks a Service name is renewed with a compare-and-swap replace.
 */
export async function obtainSharedMaterial(
  client: TlsBootstrapClient,
  settings: SelfSignedSettings,
  logger: Logger,
  now = new Date(),
): Promise<SharedMaterial> {
  const hosts = serviceHosts(settings.serviceName, settings.namespace);
  const fresh = await generateServingMaterial(hosts, now);
  if ((await client.createSecret(settings.namespace, toSecret(settings, fresh))) === 'created') {
    logger.info({ secret: settings.secretName }, 'created the webhook CA and serving certificate');
    return fresh;
  }
  const stored = await client.readSecret(settings.namespace, settings.secretName);
  const material = fromSecret(stored);
  const problem = materialProblem(material, hosts, now);
  if (!problem) return material;

  // Re-sign with the stored CA when it is sound: the caBundle other replicas trust stays valid. A
  // new CA keeps the one it replaces (if still of use) for the caBundle of the overlap.
  const renewed: SharedMaterial = problem.ca
    ? { ...fresh, retiredCaCert: stillTrusted(material.ca.cert, now) }
    : { ca: material.ca, serving: await issueServingCert(material.ca, hosts, now), retiredCaCert: material.retiredCaCert };
  logger.warn({ secret: settings.secretName, problem: problem.problem, newCa: problem.ca }, 'renewing the stored certificate');
  if ((await client.replaceSecret(settings.namespace, toSecret(settings, renewed, stored))) === 'replaced') return renewed;
  // Another replica renewed first; serve what it stored.
  const theirs = fromSecret(await client.readSecret(settings.namespace, settings.secretName));
  const theirProblem = materialProblem(theirs, hosts, now);
  if (theirProblem) throw new Error(`TLS Secret ${settings.secretName} is unusable after renewal: ${theirProblem.problem}`);
  return theirs;
}

/** Writes the CA bundle (PEM) into every webhook entry of our configurations; skipped where it is already there. */
export async function publishCaBundle(
  client: TlsBootstrapClient,
  settings: SelfSignedSettings,
  caBundle: string,
  logger: Logger,
): Promise<void> {
  const targets: [WebhookConfigKind, string | undefined][] = [
    ['mutating', settings.mutatingWebhookConfig],
    ['validating', settings.validatingWebhookConfig],
  ];
  for (const [kind, name] of targets) {
    if (!name) continue;
    const config = await client.readWebhookConfiguration(kind, name);
    const patch = webhookCaBundlePatch(config.webhooks, b64(caBundle));
    if (patch.length === 0) continue;
    await client.patchWebhookConfiguration(kind, name, patch);
    logger.info({ kind, name, webhooks: config.webhooks.length }, 'patched caBundle');
  }
}

/**
 * Self-signed mode at start and at every re-check: shared material from the Secret, caBundle
 * published (it drops a retired CA once that expires); returns the material.
 */
export async function bootstrapSelfSigned(
  client: TlsBootstrapClient,
  settings: SelfSignedSettings,
  logger: Logger,
  now = new Date(),
): Promise<SharedMaterial> {
  const material = await obtainSharedMaterial(client, settings, logger, now);
  await publishCaBundle(client, settings, caBundleOf(material, now), logger);
  return material;
}
