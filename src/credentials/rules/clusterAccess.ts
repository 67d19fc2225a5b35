import type { CredentialProblem } from '../credentialInfo.js';
import { isHttpsUrl, isPemCertificate, isPemPrivateKey } from '../formatChecks.js';

/** A key counts as given when it holds more than whitespace (as the agent reads it). */
const given = (data: Readonly<Record<string, string>>, key: string): boolean => (data[key] ?? '').trim() !== '';

/**
 * The rules of a `kubernetes`/`oci` credential beyond its keys' presence, written once for the
 * Secret webhook and the agent's kubeconfig renderer: an https server, PEM certificates and key, a
 * one-line token, and token XOR client certificate (stricter than client-go, which would send both).
 * Zod-free: the agent sidecar loads it.
 */
export function clusterAccessProblems(type: string, data: Readonly<Record<string, string>>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  if (given(data, 'server') && !isHttpsUrl(data['server']!)) {
    problems.push({ key: 'server', rule: 'not-https', message: 'key "server" must be an https:// URL of the API server' });
  }
  if (given(data, 'ca_certificate') && !isPemCertificate(data['ca_certificate']!)) {
    problems.push({ key: 'ca_certificate', rule: 'not-pem', message: 'key "ca_certificate" is not a PEM certificate' });
  }
  const hasToken = given(data, 'token');
  const hasCert = given(data, 'client_certificate') || given(data, 'client_key');
  if (hasToken && hasCert) {
    problems.push({
      key: 'token',
      rule: 'conflict',
      message:
        `keys "token" and "client_certificate"/"client_key" are both set: type ${type} takes one way to authenticate; ` +
        'remove "token" or the client certificate (credinject is stricter than kubectl here on purpose)',
    });
  } else if (!hasToken && !hasCert) {
    problems.push({ rule: 'missing-key', message: `missing key "token", or "client_certificate" and "client_key": type ${type} needs one way to authenticate` });
  } else if (hasCert && !(given(data, 'client_certificate') && given(data, 'client_key'))) {
    const missing = given(data, 'client_certificate') ? 'client_key' : 'client_certificate';
    problems.push({ key: missing, rule: 'missing-key', message: `missing key "${missing}": a client certificate needs both client_certificate and client_key` });
  }
  if (hasToken && /[\r\n]/.test(data['token']!.trim())) {
    problems.push({ key: 'token', rule: 'not-single-line', message: 'key "token" must be a single line' });
  }
  if (given(data, 'client_certificate') && !isPemCertificate(data['client_certificate']!)) {
    problems.push({ key: 'client_certificate', rule: 'not-pem', message: 'key "client_certificate" is not a PEM certificate' });
  }
  if (given(data, 'client_key') && !isPemPrivateKey(data['client_key']!)) {
    problems.push({ key: 'client_key', rule: 'not-pem', message: 'key "client_key" is not a PEM private key' });
  }
  return problems;
}
