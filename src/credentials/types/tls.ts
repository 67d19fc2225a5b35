import { X509Certificate, createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';
import { isPemCertificate, isPemPrivateKey } from '../formatChecks.js';

const certKey = 'tls.crt';
const privateKey = 'tls.key';
const caKey = 'ca.crt';

/** The first certificate of a chain is the leaf, the one the private key belongs to. */
function leafCertificate(chain: string): X509Certificate | undefined {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chain)?.[0];
  try {
    return first === undefined ? undefined : new X509Certificate(first);
  } catch {
    return undefined;
  }
}

/**
 * Whether the key pairs with the certificate's public key. Parser errors are never surfaced: they
 * can quote the input. An unloadable key was already reported by the PEM check.
 */
function keyMatches(chain: string, key: string): boolean {
  const leaf = leafCertificate(chain);
  try {
    return leaf !== undefined && leaf.checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
}

function checkPair(data: Readonly<Record<string, string>>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const cert = data[certKey];
  const key = data[privateKey];
  const ca = data[caKey];
  const certOk = cert !== undefined && cert !== '' && isPemCertificate(cert);
  const keyOk = key !== undefined && key !== '' && isPemPrivateKey(key);
  if (cert && !certOk) problems.push({ key: certKey, rule: 'not-pem', message: `key "${certKey}" is not a PEM certificate (chain)` });
  if (key && !keyOk) {
    problems.push({ key: privateKey, rule: 'not-pem', message: `key "${privateKey}" is not an unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1)` });
  }
  if (certOk && keyOk && !keyMatches(cert, key)) {
    problems.push({
      key: privateKey,
      rule: 'key-mismatch',
      message: `key "${privateKey}" does not belong to the certificate in "${certKey}" (the first certificate of the chain must be the one the key was issued for)`,
    });
  }
  // cert-manager leaves `ca.crt` empty for issuers that do not share their CA (ACME): fine.
  if (ca !== undefined && ca.trim() !== '' && !isPemCertificate(ca)) {
    problems.push({ key: caKey, rule: 'not-pem', message: `key "${caKey}" is not a PEM certificate (bundle)` });
  }
  return problems;
}

/** A certificate and its key (mTLS to a database, Kafka, an internal API), as `kubectl create secret tls` makes it. */
export const tls: CredentialType = {
  name: 'tls',
  secretType: 'kubernetes.io/tls',
  schema: z.strictObject({ [certKey]: z.string().min(1), [privateKey]: z.string().min(1), [caKey]: z.string().optional() }),
  checkValues: checkPair,
  envPrefix: false,
  renderFormats: [],
  // The private key is owner-only; the certificates stay readable so a non-root app can present them.
  inject: () => ({ env: [], files: { access: 'readable', ownerOnlyKeys: [privateKey] } }),
};
