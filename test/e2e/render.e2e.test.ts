/**
 * Credential files against a real kube-apiserver: a `tls` credential mounted with its key
 * owner-only, a Pod whose agent renders the owner's templates and a netrc, as the API server
 * stores them; tls and template Secrets the validating webhook refuses.
 */
import { AppsV1Api, CoreV1Api, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  containerOf,
  exampleCredentials,
  expectApiError,
  namespaceWithCredentials,
  podRequesting,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('render');

const CREDENTIALS = ['postgres-mtls', 'wandb', 'clearml'];

describe.skipIf(skipE2E)('credential files through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'render', CREDENTIALS);
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
  it('stores a Pod whose agent renders the clearml template and the wandb netrc: plan, volumes, env', async () => {
    const body = podRequesting('render', undefined);
    body.metadata!.annotations = { 'credinject.dev/render': 'clearml:template, wandb:netrc' };
    body.spec!.securityContext = { runAsUser: 1000 };
    await core.createNamespacedPod({ namespace, body });
    const pod = await stored('render');

    expect(pod.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected', 'credinject.dev/injected': 'clearml,wandb' });
    const agent = pod.spec?.initContainers?.find((container) => container.name === 'credinject-agent');
    expect(agent?.restartPolicy).toBe('Always');
    const plan = JSON.parse(agent?.env?.find((variable) => variable.name === 'CREDINJECT_AGENT_PLAN')?.value ?? '{}') as { outputs: Array<Record<string, unknown>> };
    expect(plan.outputs).toEqual([
      expect.objectContaining({ credential: 'clearml', format: 'template', path: '/var/run/credinject/rendered/clearml/clearml.conf', template: expect.stringContaining('{{CLEARML_API_SECRET_KEY}}') }),
      expect.objectContaining({ credential: 'wandb', format: 'netrc', path: '/var/run/credinject/rendered/wandb/netrc', login: { passwordKey: 'WANDB_API_KEY', host: 'api.wandb.ai' } }),
    ]);
    const app = containerOf(pod, 'app');
    expect(app.env).toContainEqual({ name: 'NETRC', value: '/var/run/credinject/wandb/netrc' });
    expect(app.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'credinject-clearml-rendered', mountPath: '/var/run/credinject/clearml', readOnly: true },
        { name: 'credinject-wandb-rendered', mountPath: '/var/run/credinject/wandb', readOnly: true },
      ]),
    );
    const volumes = new Map((pod.spec?.volumes ?? []).map((volume) => [volume.name, volume]));
    expect(volumes.get('credinject-clearml-rendered')?.emptyDir).toMatchObject({ medium: 'Memory' });
    expect(volumes.get('credinject-clearml')?.secret).toMatchObject({ secretName: 'clearml' });
    // Templates and key names travel in the Pod; the values never do.
    expect(JSON.stringify(pod)).not.toContain('fake-clearml-secret-key');
    expect(JSON.stringify(pod)).not.toContain('fake-wandb-api-key');
  });

  it.each([
    ['names a key the Secret does not have', 'app.ini: "token = {{TOKN}}"', 'the template of "app.ini" uses key "TOKN", which the Secret does not have'],
    ['has a file name that climbs', '../app.ini: "{{TOKEN}}"', 'file name "../app.ini" has a path separator'],
  ])('refuses a Secret whose template %s, naming it and quoting no value', async (_case, templates, message) => {
    const body: V1Secret = {
      metadata: { name: `bad-template-${message.length}`, labels: { 'credinject.dev/type': 'generic' }, annotations: { 'credinject.dev/templates': templates } },
      stringData: { TOKEN: 'fake-template-token-value' },
    };
    const err = await expectApiError(core.createNamespacedSecret({ namespace, body }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain(message);
    expect(err.message).not.toContain('fake-template-token-value');
  });

  it('refuses, at apply time, a Deployment that only asks to render a netrc its credential has no login for', async () => {
    const apps = suite.cp.kubeConfig.makeApiClient(AppsV1Api);
    const labels = { app: 'no-host' };
    const err = await expectApiError(
      apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: 'no-host', annotations: { 'credinject.dev/render': 'clearml:netrc' } },
          spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } } },
        },
      }),
    );
    expect(err.code).toBe(403);
    expect(err.message).toContain('admission webhook "workloads.mutate.credinject.dev" denied the request: credential "clearml" cannot be rendered as netrc: it needs a password or token');
    expect(err.message).toContain('and a host: key "host" or annotation credinject.dev/host');
  });
});
