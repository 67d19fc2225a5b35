/**
 * Credential files against a real kube-apiserver: a `tls` credential mounted with its key
 * owner-only, as the API server stores the Pod, and a tls Secret with a foreign key refused.
 */
import { CoreV1Api, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  containerOf,
  createExampleCredentials,
  createTestNamespace,
  exampleCredentials,
  expectApiError,
  podRequesting,
  waitForCredentialsCached,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('render');

const CREDENTIALS = ['postgres-mtls'];

describe.skipIf(skipE2E)('credential files through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    const kc = suite.cp.kubeConfig;
    core = kc.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(suite.cp, 'render');
    await createExampleCredentials(kc, namespace, CREDENTIALS);
    await waitForCredentialsCached(kc, namespace, CREDENTIALS);
  }, 180_000);

  const stored = (name: string): Promise<V1Pod> => core.readNamespacedPod({ name, namespace });

  it('stores a Pod with a tls credential: whole-directory volume, tls.key 0400, certificates group-readable under an fsGroup', async () => {
    const body = podRequesting('mtls', 'postgres-mtls');
    body.metadata!.annotations!['mount-path.credinject.dev/postgres-mtls'] = '/etc/pg-tls';
    body.spec!.securityContext = { fsGroup: 2000, runAsUser: 1000 };
    await core.createNamespacedPod({ namespace, body });
    const pod = await stored('mtls');

    expect(pod.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
    const app = containerOf(pod, 'app');
    expect(app.volumeMounts).toContainEqual({ name: 'credinject-postgres-mtls', mountPath: '/etc/pg-tls', readOnly: true });
    expect(app.env ?? []).toEqual([]);
    // Every key listed (the key's own mode needs items), no subPath: kubelet keeps refreshing it.
    expect(pod.spec?.volumes?.find((volume) => volume.name === 'credinject-postgres-mtls')?.secret).toEqual({
      secretName: 'postgres-mtls',
      defaultMode: 0o440,
      items: [
        { key: 'ca.crt', path: 'ca.crt' },
        { key: 'tls.crt', path: 'tls.crt' },
        { key: 'tls.key', path: 'tls.key', mode: 0o400 },
      ],
    });
    expect(app.volumeMounts?.some((mount) => mount.subPath !== undefined)).toBe(false);
    expect(JSON.stringify(pod)).not.toContain('PRIVATE KEY');
  });

  it('refuses a tls Secret whose key belongs to another certificate, naming the key and quoting no value', async () => {
    const credentials = exampleCredentials();
    const tls = credentials.get('postgres-mtls')!;
    const otherKey = credentials.get('oke-cluster')!.stringData!['client_key']!;
    const body: V1Secret = { ...structuredClone(tls), metadata: { name: 'wrong-pair', labels: { 'credinject.dev/type': 'tls' } }, stringData: { ...tls.stringData, 'tls.key': otherKey } };
    const err = await expectApiError(core.createNamespacedSecret({ namespace, body }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('"tls.key" does not belong to the certificate in "tls.crt"');
    expect(err.message).not.toContain('PRIVATE KEY');
  });
});
