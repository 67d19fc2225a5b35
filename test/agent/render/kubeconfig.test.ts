import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from '../../../src/agent/render/kubeconfig.js';
import { golden, secretFiles, secretName, withKeys } from './fixtures.js';

const rendered = (fixture: string): string => {
  const result = renderKubeconfig(secretFiles(fixture), secretName(fixture));
  if (!result.ok) throw new Error(`render failed: ${result.message}`);
  return result.content;
};

describe('renderKubeconfig', () => {
  it.each(['kubeconfig-token', 'kubeconfig-client-cert'])('renders %s like the golden file', (fixture) => {
    const content = rendered(fixture);
    expect(content).toBe(golden(`${fixture}.yaml`, content));
  });

  it('renders a token kubeconfig that client-node loads with the token user', () => {
    const kc = new KubeConfig();
    kc.loadFromString(rendered('kubeconfig-token'));
    const files = secretFiles('kubeconfig-token');
    expect(kc.getCurrentContext()).toBe('prod-cluster');
    expect(kc.getCurrentCluster()?.server).toBe('https://prod.example.test:6443');
    expect(kc.getCurrentCluster()?.caData).toBe(files.get('ca_certificate')?.toString('base64'));
    expect(kc.getCurrentUser()).toMatchObject({ name: 'prod-cluster', token: files.get('token')?.toString().trim() });
    expect(kc.getCurrentUser()?.certData).toBeUndefined();
  });

  it('renders a client-certificate kubeconfig that client-node loads with the certificate user', () => {
    const kc = new KubeConfig();
    kc.loadFromString(rendered('kubeconfig-client-cert'));
    const files = secretFiles('kubeconfig-client-cert');
    const user = kc.getCurrentUser();
    expect(user?.name).toBe('oke-cluster');
    expect(Buffer.from(user?.certData ?? '', 'base64').toString()).toBe(files.get('client_certificate')?.toString());
    expect(Buffer.from(user?.keyData ?? '', 'base64').toString()).toBe(files.get('client_key')?.toString());
    expect(user?.token).toBeUndefined();
  });

  it('drops the trailing newline a --from-file token brings', () => {
    const files = withKeys(secretFiles('kubeconfig-token'), { token: 'fake-token-with-newline\n' });
    const kc = new KubeConfig();
    const result = renderKubeconfig(files, 'c');
    kc.loadFromString(result.ok ? result.content : '');
    expect(kc.getCurrentUser()?.token).toBe('fake-token-with-newline');
  });

  const token = secretFiles('kubeconfig-token');
  const cert = secretFiles('kubeconfig-client-cert');
  it.each([
    ['server is missing', withKeys(token, { server: undefined }), 'missing key "server"'],
    ['server is not https', withKeys(token, { server: 'http://plain.example.test' }), 'key "server" must be an https:// URL'],
    ['ca_certificate is missing', withKeys(token, { ca_certificate: undefined }), 'missing key "ca_certificate"'],
    ['ca_certificate is not PEM', withKeys(token, { ca_certificate: 'not-a-pem-FAKEVALUE' }), 'key "ca_certificate" is not a PEM certificate'],
    ['no way to authenticate is given', withKeys(token, { token: undefined }), 'missing key "token", or "client_certificate" and "client_key"'],
    ['token is only whitespace', withKeys(token, { token: ' \n' }), 'missing key "token", or "client_certificate" and "client_key"'],
    ['token spans lines', withKeys(token, { token: 'FAKEVALUE-a\nFAKEVALUE-b' }), 'key "token" must be a single line'],
    ['token and a client certificate are both set', withKeys(cert, { token: 'FAKEVALUE' }), 'keys "token" and "client_certificate"/"client_key" are both set'],
    ['client_key is missing', withKeys(cert, { client_key: undefined }), 'missing key "client_key"'],
    ['client_certificate is missing', withKeys(cert, { client_certificate: undefined }), 'missing key "client_certificate"'],
    ['client_key is not PEM', withKeys(cert, { client_key: 'FAKEVALUE' }), 'key "client_key" is not a PEM private key'],
    ['client_certificate is not PEM', withKeys(cert, { client_certificate: 'FAKEVALUE' }), 'key "client_certificate" is not a PEM certificate'],
  ])('fails when %s, naming the key and no value', (_case, files, message) => {
    const result = renderKubeconfig(files, 'c');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.message).not.toContain('FAKEVALUE');
  });
});
