import { createPrivateKey } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { credentialTypeNames } from '../../src/credentials/registry.js';
import { credentialDenial, validateCredential } from '../../src/credentials/validateCredential.js';
import { credentialSecret, exampleSecret, exampleSecrets, exampleValue } from '../fixtures/secrets.js';

const ca = exampleValue('prod-cluster', 'ca_certificate');
const clientCert = exampleValue('oke-cluster', 'client_certificate');
const clientKey = exampleValue('oke-cluster', 'client_key');
const sshKey = exampleValue('git-ssh', 'id_ed25519');
const tlsCert = exampleValue('postgres-mtls', 'tls.crt');
const serviceAccount = JSON.parse(exampleValue('gcp-sa', 'service-account.json')) as Record<string, unknown>;

const encryptedKey = createPrivateKey(exampleValue('postgres-mtls', 'tls.key')).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fake' }) as string;

function clusterScoped(selector: string | undefined, scope = 'cluster'): V1Secret {
  const annotations: Record<string, string> = selector === undefined ? {} : { 'credinject.dev/namespace-selector': selector };
  return credentialSecret('hf', 'huggingface', { token: 't' }, { metadata: { labels: { 'credinject.dev/scope': scope }, annotations } });
}

function withData(name: string, change: (data: Record<string, string>) => void): V1Secret {
  const secret = exampleSecret(name);
  const data = { ...secret.stringData };
  change(data);
  secret.stringData = data;
  return secret;
}

/** A Secret with lower-case keys `token` and `endpoint` and the owner's `credinject.dev/env`. */
function ownerMapped(type: string, mapping: string) {
  return credentialSecret('m', type, { token: 't', endpoint: 'https://api.example.com' }, { metadata: { annotations: { 'credinject.dev/env': mapping } } });
}

describe('validateCredential', () => {
  it('covers all thirteen types of the design', () => {
    expect([...credentialTypeNames].sort()).toEqual(
      ['access-key', 'aws', 'azure', 'docker-registry', 'gcp', 'generic', 'huggingface', 'kubernetes', 'oci', 'password', 'rclone', 'ssh', 'tls'],
    );
    expect(new Set(exampleSecrets().map((s) => s.metadata?.labels?.['credinject.dev/type']))).toEqual(new Set(credentialTypeNames));
  });

  it.each(exampleSecrets().map((secret) => [secret.metadata?.name, secret] as const))('accepts the example %s', (_name, secret) => {
    expect(validateCredential(secret)).toEqual([]);
  });

  it('reads base64 data as well as stringData', () => {
    const secret = exampleSecret('aws-s3');
    secret.data = Object.fromEntries(Object.entries(secret.stringData ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    delete secret.stringData;
    expect(validateCredential(secret)).toEqual([]);
  });

  const invalid: [string, V1Secret, string, string | undefined][] = [
    ['an unknown type', credentialSecret('x', 'vault', { token: 't' }), 'unknown-type', undefined],
    ['a missing required key', withData('aws-s3', (d) => delete d['secret_access_key']), 'missing-key', 'secret_access_key'],
    ['an empty required key', withData('hf-token', (d) => (d['token'] = '')), 'empty-value', 'token'],
    ['an unknown key of a closed type', withData('aws-s3', (d) => (d['profile'] = 'x')), 'unknown-key', 'profile'],
    ['data that is not base64', { ...exampleSecret('hf-token'), stringData: undefined, data: { token: '***' } }, 'not-base64', 'token'],
    ['a docker-registry Secret of the wrong Secret type', { ...exampleSecret('registry'), type: 'Opaque' }, 'wrong-secret-type', undefined],
    ['a docker config without auths', withData('registry', (d) => (d['.dockerconfigjson'] = '{"credsStore":"x"}')), 'no-auths', '.dockerconfigjson'],
    ['a docker config that is not JSON', withData('registry', (d) => (d['.dockerconfigjson'] = '{auths')), 'not-json', '.dockerconfigjson'],
    ['a GCP key that is not JSON', withData('gcp-sa', (d) => (d['service-account.json'] = 'nope')), 'not-service-account', 'service-account.json'],
    ['a GCP JSON that is not a service account', withData('gcp-sa', (d) => (d['service-account.json'] = JSON.stringify({ ...serviceAccount, type: 'authorized_user' }))), 'not-service-account', 'service-account.json'],
    ['a GCP service account without a PEM key', withData('gcp-sa', (d) => (d['service-account.json'] = JSON.stringify({ ...serviceAccount, private_key: 'x' }))), 'not-service-account', 'service-account.json'],
    ['azure without a way to authenticate', withData('azure-blob', (d) => delete d['account_key']), 'no-auth', undefined],
    ['a kubernetes server that is not https', withData('prod-cluster', (d) => (d['server'] = 'http://k8s.example.com')), 'not-https', 'server'],
    ['a kubernetes CA that is not PEM', withData('prod-cluster', (d) => (d['ca_certificate'] = 'not a cert')), 'not-pem', 'ca_certificate'],
    ['a kubernetes credential without CA', withData('prod-cluster', (d) => delete d['ca_certificate']), 'missing-key', 'ca_certificate'],
    ['a kubernetes credential without server', withData('prod-cluster', (d) => delete d['server']), 'missing-key', 'server'],
    ['kubernetes with token and client certificate', withData('prod-cluster', (d) => Object.assign(d, { client_certificate: clientCert, client_key: clientKey })), 'conflict', 'token'],
    ['oci with token and client certificate', withData('oke-cluster', (d) => (d['token'] = 'x')), 'conflict', 'token'],
    ['kubernetes with neither token nor certificate', withData('prod-cluster', (d) => delete d['token']), 'missing-key', undefined],
    ['a client certificate without its key', withData('oke-cluster', (d) => delete d['client_key']), 'missing-key', 'client_key'],
    ['a client key that is not PEM', withData('oke-cluster', (d) => (d['client_key'] = 'x')), 'not-pem', 'client_key'],
    ['ssh without a private key', withData('git-ssh', (d) => delete d['id_ed25519']), 'missing-key', undefined],
    ['ssh with a private key that is not one', withData('git-ssh', (d) => (d['id_rsa'] = 'hello')), 'not-private-key', 'id_rsa'],
    ['ssh with an unknown key', withData('git-ssh', (d) => (d['notes.txt'] = 'x')), 'unknown-key', 'notes.txt'],
    ['rclone keys in lower case', withData('r2-bucket', (d) => (d['rclone_config_r2_region'] = 'auto')), 'not-rclone-key', 'rclone_config_r2_region'],
    ['rclone keys naming two remotes', withData('r2-bucket', (d) => Object.assign(d, { RCLONE_CONFIG_GCS_TYPE: 'gcs' })), 'two-remotes', undefined],
    ['rclone without a TYPE key', withData('r2-bucket', (d) => delete d['RCLONE_CONFIG_R2_TYPE']), 'missing-key', undefined],
    ['tls without a private key', withData('postgres-mtls', (d) => delete d['tls.key']), 'missing-key', 'tls.key'],
    ['tls with an unknown key', withData('postgres-mtls', (d) => (d['tls.pem'] = 'x')), 'unknown-key', 'tls.pem'],
    ['tls of Secret type Opaque', { ...exampleSecret('postgres-mtls'), type: 'Opaque' }, 'wrong-secret-type', undefined],
    ['tls with a certificate that is not PEM', withData('postgres-mtls', (d) => (d['tls.crt'] = 'not a cert')), 'not-pem', 'tls.crt'],
    ['tls with a truncated certificate', withData('postgres-mtls', (d) => (d['tls.crt'] = tlsCert.replace(/\n[A-Za-z0-9+/=]{20,}\n/, '\n'))), 'not-pem', 'tls.crt'],
    ['tls with a key that is not PEM', withData('postgres-mtls', (d) => (d['tls.key'] = 'x')), 'not-pem', 'tls.key'],
    ['tls with an encrypted key', withData('postgres-mtls', (d) => (d['tls.key'] = encryptedKey)), 'not-pem', 'tls.key'],
    ['tls with the key of another certificate', withData('postgres-mtls', (d) => (d['tls.key'] = clientKey)), 'key-mismatch', 'tls.key'],
    ['tls with a CA that is not PEM', withData('postgres-mtls', (d) => (d['ca.crt'] = 'ca')), 'not-pem', 'ca.crt'],
    ['generic keys that are not env names', credentialSecret('g', 'generic', { 'api-key': 'x' }), 'not-env-name', 'api-key'],
    ['an env mapping naming a key the Secret lacks', ownerMapped('generic', 'TOKEN=tokn'), 'unknown-key', 'tokn'],
    ['an env mapping with an invalid env name', ownerMapped('generic', 'api-token=token'), 'bad-env-mapping', undefined],
    ['an env mapping naming one env var twice', ownerMapped('generic', 'TOKEN=token, TOKEN=endpoint'), 'bad-env-mapping', undefined],
    ['an env mapping that is not NAME=key', ownerMapped('generic', 'token'), 'bad-env-mapping', undefined],
    ['an env mapping on a type that sets no env from keys', { ...withData('postgres-mtls', () => undefined), metadata: { ...exampleSecret('postgres-mtls').metadata, annotations: { 'credinject.dev/env': 'CERT=tls.crt' } } }, 'bad-env-mapping', undefined],
    ['a scope that is not namespace or cluster', credentialSecret('h', 'huggingface', { token: 't' }, { metadata: { labels: { 'credinject.dev/scope': 'global' } } }), 'bad-scope', undefined],
    ['a cluster scope without a namespace selector', clusterScoped(undefined), 'missing-namespace-selector', undefined],
    ['a cluster scope with a blank namespace selector', clusterScoped('  '), 'missing-namespace-selector', undefined],
    ['a cluster scope with a selector that does not parse', clusterScoped('team=ml,'), 'bad-namespace-selector', undefined],
    ['a cluster scope with a numeric comparison', clusterScoped('gpus>1'), 'bad-namespace-selector', undefined],
  ];

  it.each(invalid)('rejects %s with its own rule', (_case, secret, rule, key) => {
    const problems = validateCredential(secret);
    expect(problems.map((p) => p.rule)).toContain(rule);
    const problem = problems.find((p) => p.rule === rule);
    expect(problem?.key).toBe(key);
    expect(problem?.message.length).toBeGreaterThan(10);
  });

  it.each([
    ['a generic Secret with lower-case keys', ownerMapped('generic', 'API_TOKEN=token, API_ENDPOINT=endpoint')],
    ['one key under two names', ownerMapped('generic', 'API_TOKEN=token, TOKEN=token')],
    ['a password credential under MLflow names', credentialSecret('p', 'password', { username: 'u', password: 'p' }, { metadata: { annotations: { 'credinject.dev/env': 'MLFLOW_TRACKING_USERNAME=username, MLFLOW_TRACKING_PASSWORD=password' } } })],
  ])("accepts the owner's env mapping of %s", (_case, secret) => {
    expect(validateCredential(secret)).toEqual([]);
  });

  it('accepts generic keys that are not env names when injected as files', () => {
    const secret = credentialSecret('g', 'generic', { 'config.json': '{}' }, { metadata: { annotations: { 'credinject.dev/mount-path': '/etc/app' } } });
    expect(validateCredential(secret)).toEqual([]);
  });

  it('names both sides of a token and certificate conflict and says it is deliberate', () => {
    const secret = withData('prod-cluster', (d) => Object.assign(d, { client_certificate: clientCert, client_key: clientKey }));
    const { message } = credentialDenial('prod-cluster', validateCredential(secret));
    expect(message).toContain('"prod-cluster"');
    expect(message).toMatch(/token.*client_certificate/);
    expect(message).toContain('stricter');
  });

  it.each([
    ['a set and an equality', 'team=ml,env in (dev,prod)'],
    ['every namespace, spelled out', 'kubernetes.io/metadata.name'],
    ['a negation', '!restricted'],
  ])('accepts a cluster scope with %s as its namespace selector', (_case, selector) => {
    expect(validateCredential(clusterScoped(selector))).toEqual([]);
  });

  it('asks for no selector when the scope is namespace or absent', () => {
    expect(validateCredential(clusterScoped(undefined, 'namespace'))).toEqual([]);
    expect(validateCredential(credentialSecret('hf', 'huggingface', { token: 't' }))).toEqual([]);
  });

  it('says what is wrong with a selector and how to select every namespace', () => {
    const [missing] = validateCredential(clusterScoped(undefined));
    expect(missing?.message).toContain('credinject.dev/namespace-selector');
    expect(missing?.message).toContain('kubernetes.io/metadata.name');
    const [bad] = validateCredential(clusterScoped('team in ml'));
    expect(bad?.message).toContain('expected "("');
  });

  it.each([
    ['without ca.crt', (d: Record<string, string>) => delete d['ca.crt']],
    ['with an empty ca.crt, as cert-manager writes for ACME issuers', (d: Record<string, string>) => (d['ca.crt'] = '')],
    ['with the chain in tls.crt, leaf first', (d: Record<string, string>) => (d['tls.crt'] = `${tlsCert}${d['ca.crt']}`)],
  ])('accepts a tls credential %s', (_case, change) => {
    expect(validateCredential(withData('postgres-mtls', change))).toEqual([]);
  });

  it('refuses a chain whose first certificate is not the key\'s', () => {
    const secret = withData('postgres-mtls', (d) => (d['tls.crt'] = `${d['ca.crt']}${tlsCert}`));
    expect(validateCredential(secret).map((p) => p.rule)).toEqual(['key-mismatch']);
  });

  it('accepts an ssh key alone', () => {
    expect(validateCredential(credentialSecret('s', 'ssh', { id_ed25519: sshKey }))).toEqual([]);
    expect(ca).toContain('BEGIN CERTIFICATE');
  });
});
