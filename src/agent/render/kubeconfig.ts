import { stringify } from 'yaml';
import { clusterAccessProblems } from '../../credentials/rules/clusterAccess.js';
import { type RenderResult, type SecretFiles, renderFailed, rendered, textOf } from './renderer.js';

type User = { token: string } | { 'client-certificate-data': string; 'client-key-data': string };

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig user: a token, or a client certificate and key (the rules were checked before). */
function userOf(files: SecretFiles): User {
  const token = textOf(files, 'token');
  if (token !== undefined) return { token: token.trim() };
  return { 'client-certificate-data': base64(textOf(files, 'client_certificate')!), 'client-key-data': base64(textOf(files, 'client_key')!) };
}

/**
 * Render a `kubernetes`/`oci` credential as a kubeconfig with one cluster, user and context, all
 * named after the credential, so `kubectl config view` shows where it came from.
 */
export function renderKubeconfig(files: SecretFiles, credential: string): RenderResult {
  const server = textOf(files, 'server');
  if (server === undefined) return renderFailed('missing key "server"');
  const ca = textOf(files, 'ca_certificate');
  if (ca === undefined) return renderFailed('missing key "ca_certificate"');
  const text = Object.fromEntries([...files].map(([key, bytes]) => [key, bytes.toString('utf8')]));
  // The same rules the Secret webhook checked; a Secret changed behind its back is refused here too.
  const problem = clusterAccessProblems('kubernetes', text)[0];
  if (problem) return renderFailed(problem.message);
  const user = userOf(files);

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
