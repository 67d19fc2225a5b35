import { z } from 'zod';
import type { CredentialProblem } from '../credentialInfo.js';
import type { CredentialType } from '../credentialType.js';
import { isHttpsUrl, isPemCertificate, isPemPrivateKey } from '../formatChecks.js';

const shape = z.strictObject({
  server: z.string().min(1),
  ca_certificate: z.string().min(1),
  token: z.string().optional(),
  client_certificate: z.string().optional(),
  client_key: z.string().optional(),
});

/** Token XOR client certificate: stricter than client-go, which would send both. */
function checkAuth(type: string, data: Readonly<Record<string, string>>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const hasToken = Boolean(data['token']);
  const hasCert = Boolean(data['client_certificate']) || Boolean(data['client_key']);
  if (hasToken && hasCert) {
    const certKeys = ['client_certificate', 'client_key'].filter((key) => Boolean(data[key])).join(' and ');
    problems.push({
      key: 'token',
      rule: 'conflict',
      message: `type ${type} takes either "token" or "client_certificate"+"client_key", not both: remove "token" or ${certKeys} (credinject is stricter than kubectl here on purpose)`,
    });
  } else if (!hasToken && !hasCert) {
    problems.push({ rule: 'missing-key', message: `type ${type} needs "token", or "client_certificate" and "client_key"` });
  } else if (hasCert && !(data['client_certificate'] && data['client_key'])) {
    const missing = data['client_certificate'] ? 'client_key' : 'client_certificate';
    problems.push({ key: missing, rule: 'missing-key', message: `missing required key "${missing}": a client certificate needs both client_certificate and client_key` });
  }
  if (data['client_certificate'] && !isPemCertificate(data['client_certificate'])) {
    problems.push({ key: 'client_certificate', rule: 'not-pem', message: 'key "client_certificate" is not a PEM certificate' });
  }
  if (data['client_key'] && !isPemPrivateKey(data['client_key'])) {
    problems.push({ key: 'client_key', rule: 'not-pem', message: 'key "client_key" is not a PEM private key' });
  }
  return problems;
}

function checkCluster(type: string, data: Readonly<Record<string, string>>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  if (data['server'] && !isHttpsUrl(data['server'])) {
    problems.push({ key: 'server', rule: 'not-https', message: 'key "server" must be an https:// URL of the API server' });
  }
  if (data['ca_certificate'] && !isPemCertificate(data['ca_certificate'])) {
    problems.push({ key: 'ca_certificate', rule: 'not-pem', message: 'key "ca_certificate" is not a PEM certificate' });
  }
  return [...problems, ...checkAuth(type, data)];
}

function clusterType(name: string): CredentialType {
  return {
    name,
    schema: shape,
    checkValues: (data) => checkCluster(name, data),
    envPrefix: false,
    renderFormats: ['kubeconfig'],
    defaultRender: 'kubeconfig',
    // Nothing from the Secret reaches the app directly: the agent renders the kubeconfig.
    inject: () => ({ env: [] }),
  };
}

export const kubernetes = clusterType('kubernetes');
/** Oracle Cloud (OKE) cluster credentials: the same contract as `kubernetes`. */
export const oci = clusterType('oci');
