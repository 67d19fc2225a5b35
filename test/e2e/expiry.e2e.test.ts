/**
 * Credential expiry through the real API server, with `serve --expiry-warning 30d --deny-expired`:
 * a Pod injected with a certificate that expires in 10 days is admitted with a warning the client
 * sees (`Warning: 299 …`); one whose certificate has expired is refused, naming credential, key and
 * date; the gauge exports both expiries. Certificates are generated for the test, never printed.
 */
import { CoreV1Api, type V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { certificateUntil } from '../fixtures/expiringMaterial.js';
import { pollUntil } from './harness/controlPlane.js';
import { createTestNamespace, expectApiError, podRequesting, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('expiry');

const day = 24 * 60 * 60 * 1000;

describe.skipIf(skipE2E)('credential expiry at admission', () => {
  const suite = useSuite({ server: { extraArgs: ['--expiry-warning', '30d', '--deny-expired'] } });
  let core: CoreV1Api;
  let namespace: string;
  const notAfter: Record<string, Date> = {};

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(suite.cp, 'expiry');
    // Whole seconds: what the certificate can hold.
    notAfter['db-soon'] = new Date(Math.floor((Date.now() + 10 * day) / 1000) * 1000);
    notAfter['db-old'] = new Date(Math.floor((Date.now() - 2 * day) / 1000) * 1000);
    for (const [name, date] of Object.entries(notAfter)) {
      const pair = await certificateUntil(date);
      const body: V1Secret = { metadata: { name, labels: { 'credinject.dev/type': 'tls' } }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': pair.cert, 'tls.key': pair.key } };
      await core.createNamespacedSecret({ namespace, body });
    }
    await waitForCredentialsCached(suite.cp.kubeConfig, namespace, ['db-soon']);
    // The expired one is refused once known (until then: not found), so its probe waits for that refusal.
    await pollUntil('the webhook to refuse db-old as expired', async () => {
      const error = await expectApiError(core.createNamespacedPod({ namespace, dryRun: 'All', body: podRequesting('probe', 'db-old') }));
      return error.message.includes('expired') ? true : undefined;
    }, 20_000);
  }, 120_000);

  it('admits a Pod with a credential expiring within the window, with a warning naming it, the key and the date', async () => {
    const response = await core.createNamespacedPodWithHttpInfo({ namespace, body: podRequesting('soon', 'db-soon') });
    const warning = response.headers['warning'] ?? '';
    expect(warning).toMatch(/^299 /);
    expect(warning).toContain(`credential \\"db-soon\\" expires in`);
    expect(warning).toContain(`key \\"tls.crt\\", ${notAfter['db-soon']!.toISOString()}`);
    const pod = await core.readNamespacedPod({ namespace, name: 'soon' });
    expect(pod.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
  });

  it('refuses a Pod with an expired credential under --deny-expired', async () => {
    const error = await expectApiError(core.createNamespacedPod({ namespace, body: podRequesting('old', 'db-old') }));
    expect(error.code).toBe(403);
    expect(error.message).toContain(`credential "db-old" expired 2d`);
    expect(error.message).toContain(`key "tls.crt", ${notAfter['db-old']!.toISOString()}`);
    expect(error.message).toContain('renew it before the pod can start');
  });

  it('exports the expiry of each credential as a gauge', async () => {
    const metrics = await suite.server.metrics();
    for (const [name, date] of Object.entries(notAfter)) {
      expect(metrics).toContain(`credinject_credential_expiry_timestamp_seconds{namespace="${namespace}",name="${name}",type="tls"} ${date.getTime() / 1000}`);
    }
  });
});
