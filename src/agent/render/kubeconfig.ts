import { stringify } from 'yaml';
import { isHttpsUrl, isPemCertificate, isPemPrivateKey } from '../../credentials/formatChecks.js';
import { type RenderResult, type SecretFiles, renderFailed, rendered, singleLine, textOf } from './renderer.js';

type User = { token: string } | { 'client-certificate-data': string; 'client-key-data': string };

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Token XOR client certificate, the same rule the `kubernetes` credential type validates. */
function userOf(files: SecretFiles): User | string {
  const token = textOf(files, 'token');
  const cert = textOf(files, 'client_certificate');
  const key = textOf(files, 'client_key');
  if (token !== undefined && (cert !== undefined || key !== undefined)) {
    return 'keys "token" and "client_certificate"/"client_key" are both set: keep one way to authenticate';
  }
  if (token !== undefined) {
    const line = singleLine(token);
    return line.ok ? { token: line.value } : 'key "token" must be a single line';
  }
  if (cert === undefined && key === undefined) return 'missing key "token", or "client_certificate" and "client_key"';
  if (cert === undefined) return 'missing key "client_certificate" (key "client_key" needs it)';
  if (key === undefined) return 'missing key "client_key" (key "client_certificate" needs it)';
  if (!isPemCertificate(cert)) return 'key "client_certificate" is not a PEM certificate';
  if (!isPemPrivateKey(key)) return 'key "client_key" is not a PEM private key';
  return { 'client-certificate-data': base64(cert), 'client-key-data': base64(key) };
}

/**
 * Render a `kubernetes`/`oci` credential as a kubeconfig with one cluster, user and context, all
 * named after the credential, so `kubectl config view` shows where it came from.
 */
export function renderKubeconfig(files: SecretFiles, credential: string): RenderResult {
  const server = textOf(files, 'server');
  if (server === undefined) return renderFailed('missing key "server"');
  if (!isHttpsUrl(server)) return renderFailed('key "server" must be an https:// URL');
  const ca = textOf(files, 'ca_certificate');
  if (ca === undefined) return renderFailed('missing key "ca_certificate"');
  if (!isPemCertificate(ca)) return renderFailed('key "ca_certificate" is not a PEM certificate');
  const user = userOf(files);
  if (typeof user === 'string') return renderFailed(user);

  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: credential, cluster: { server: server.trim(), 'certificate-authority-data': base64(ca) } }],
    users: [{ name: credential, user }],
    contexts: [{ name: credential, context: { cluster: credential, user: credential } }],
    'current-context': credential,
    preferences: {},
  };
  // lineWidth 0: never fold long base64 or token scalars across lines.
  return rendered(stringify(config, { lineWidth: 0 }));
}
