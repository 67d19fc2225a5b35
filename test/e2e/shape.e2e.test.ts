/**
 * Shaping what goes in, against a real kube-apiserver: a pod's key → env mapping and key subsets,
 * the owner's mapping on a generic Secret with lower-case keys, a tls credential's files with its
 * key owner-only, per-pod agent settings; the Pods as the API server stores them, and the denials
 * through the live webhooks naming the credential and the problem.
 */
import { CoreV1Api, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  containerOf,
  duplicates,
  envNames,
  expectApiError,
  namespaceWithCredentials,
  podRequesting,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('shape');

const EXAMPLES = ['aws-s3', 'postgres-mtls', 'wandb'];
/** Marker values: they must reach no Pod and no denial. */
const ACCESS = 'fake-shape-access-value';
const SECRET = 'fake-shape-secret-value';

/** ClearML keys as HPE/Pachyderm pipelines store them: lower-case, bound to env by the owner's mapping. */
const clearmlKeys: V1Secret = {
  metadata: {
    name: 'clearml-keys',
    labels: { 'credinject.dev/type': 'generic' },
    annotations: { 'credinject.dev/env': 'CLEARML_API_ACCESS_KEY=access, CLEARML_API_SECRET_KEY=secret' },
  },
  stringData: { access: ACCESS, secret: SECRET, host: 'api.clear.ml' },
};

const ref = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

describe.skipIf(skipE2E)('shaping credentials through the real API server', () => {
  const suite = useSuite();
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'shape', EXAMPLES, [clearmlKeys]);
  }, 180_000);

  const create = async (body: V1Pod): Promise<V1Pod> => {
    await core.createNamespacedPod({ namespace, body });
    return core.readNamespacedPod({ name: body.metadata!.name!, namespace });
  };
  const pod = (name: string, annotations: Record<string, string>): V1Pod => {
    const body = podRequesting(name, undefined);
    body.metadata!.annotations = annotations;
    return body;
  };

  it('stores a Pod with an env mapping and key subsets: exactly the mapped names, secretKeyRefs to the listed keys, only subset keys as items', async () => {
    const stored = await create(
      pod('mapped', {
        'credinject.dev/inject': 'aws-s3, postgres-mtls',
        'env.credinject.dev/aws-s3': 'S3_ACCESS_KEY=access_key_id, S3_SECRET_KEY=secret_access_key',
        'keys.credinject.dev/aws-s3': 'access_key_id, secret_access_key',
        'keys.credinject.dev/postgres-mtls': 'tls.crt, tls.key',
        'mount-path.credinject.dev/postgres-mtls': '/etc/pg-tls',
      }),
    );
    expect(stored.metadata?.annotations?.['credinject.dev/status']).toBe('injected');
    const app = containerOf(stored, 'app');
    expect(app.env).toEqual([ref('S3_ACCESS_KEY', 'aws-s3', 'access_key_id'), ref('S3_SECRET_KEY', 'aws-s3', 'secret_access_key')]);
    expect(duplicates(envNames(app))).toEqual([]);
    // The subset leaves out ca.crt; the key keeps its owner-only mode; whole directory, no subPath.
    expect({ ...stored.spec?.volumes?.find((volume) => volume.name === 'credinject-postgres-mtls')?.secret }).toEqual({
      secretName: 'postgres-mtls',
      defaultMode: 0o444,
      items: [expect.objectContaining({ key: 'tls.crt', path: 'tls.crt' }), expect.objectContaining({ key: 'tls.key', path: 'tls.key', mode: 0o400 })],
    });
    expect(app.volumeMounts).toContainEqual({ name: 'credinject-postgres-mtls', mountPath: '/etc/pg-tls', readOnly: true });
    expect(app.volumeMounts?.some((mount) => mount.subPath !== undefined)).toBe(false);
  });

  it("stores a Pod taking the owner's mapping of a generic Secret with lower-case keys, a pod subset picking among it", async () => {
    const whole = containerOf(await create(pod('owner-mapping', { 'credinject.dev/inject': 'clearml-keys' })), 'app');
    expect(whole.env).toEqual([ref('CLEARML_API_ACCESS_KEY', 'clearml-keys', 'access'), ref('CLEARML_API_SECRET_KEY', 'clearml-keys', 'secret')]);
    const picked = containerOf(await create(pod('owner-subset', { 'credinject.dev/inject': 'clearml-keys', 'keys.credinject.dev/clearml-keys': 'access' })), 'app');
    expect(picked.env).toEqual([ref('CLEARML_API_ACCESS_KEY', 'clearml-keys', 'access')]);
  });

  it('stores a tls Pod with mode.credinject.dev/ 0400: every file owner-only', async () => {
    const stored = await create(pod('tls-mode', { 'credinject.dev/inject': 'postgres-mtls', 'mode.credinject.dev/postgres-mtls': '0400' }));
    const secret = stored.spec?.volumes?.find((volume) => volume.name === 'credinject-postgres-mtls')?.secret;
    expect(secret?.secretName).toBe('postgres-mtls');
    expect(secret?.defaultMode).toBe(0o400);
    expect((secret?.items ?? []).every((item) => item.mode === undefined || item.mode === 0o400)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
  });

  it('stores a Pod with credinject.dev/agent "mode=init-only, cpu=50m, memory=64Mi": a plain init agent with those requests', async () => {
    const stored = await create(pod('init-only', { 'credinject.dev/render': 'wandb:netrc', 'credinject.dev/agent': 'mode=init-only, cpu=50m, memory=64Mi' }));
    // One run-once init container, no sidecar anywhere.
    expect(stored.spec?.initContainers?.map((container) => container.name)).toEqual(['credinject-agent-init']);
    const agent = stored.spec?.initContainers?.[0];
    expect(agent?.restartPolicy).toBeUndefined();
    expect(agent?.args).toContain('--once');
    expect(agent?.resources?.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(stored.spec?.containers.map((container) => container.name)).toEqual(['app']);
  });

  it.each([
    ['a mapping to a key the credential lacks', { 'env.credinject.dev/clearml-keys': 'CLEARML_API_HOST=hostname' }, 'env.credinject.dev/clearml-keys maps key "hostname", which credential "clearml-keys" does not have (it has access, host, secret)'],
    ['an env name listed twice', { 'env.credinject.dev/clearml-keys': 'CLEARML_KEY=access, CLEARML_KEY=secret' }, 'env.credinject.dev/clearml-keys names env var CLEARML_KEY twice'],
    ['an invalid env name', { 'env.credinject.dev/clearml-keys': 'clearml-key=access' }, 'env.credinject.dev/clearml-keys "clearml-key" is not a valid env var name'],
    ['a subset key the credential lacks', { 'keys.credinject.dev/clearml-keys': 'token' }, 'keys.credinject.dev/clearml-keys names key "token", which credential "clearml-keys" does not have'],
    ['an agent above the operator bound', { 'credinject.dev/render': 'wandb:netrc', 'credinject.dev/agent': 'cpu=2' }, "credinject.dev/agent cpu=2 is above the operator's maximum 500m (serve --agent-max-cpu)"],
  ])('denies a Pod with %s through the live webhook, naming the credential and the problem', async (_case, annotations, message) => {
    const err = await expectApiError(core.createNamespacedPod({ namespace, body: pod(`denied-${message.length}`, { 'credinject.dev/inject': 'clearml-keys', ...annotations }) }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('admission webhook "pods.mutate.credinject.dev" denied the request:');
    expect(err.message).toContain(message);
    expect(err.message).not.toContain(ACCESS);
    expect(err.message).not.toContain(SECRET);
  });

  it('denies a Pod where a mapped name is one another credential also sets', async () => {
    const body = pod('clash', { 'credinject.dev/inject': 'aws-s3, clearml-keys', 'env.credinject.dev/clearml-keys': 'AWS_REGION=host' });
    const err = await expectApiError(core.createNamespacedPod({ namespace, body }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('credentials "aws-s3" and "clearml-keys" both set AWS_REGION in container "app"');
  });

  it("refuses a Secret whose owner's mapping names a key it lacks, naming the key and quoting no value", async () => {
    const body: V1Secret = { ...structuredClone(clearmlKeys), metadata: { ...structuredClone(clearmlKeys.metadata), name: 'bad-mapping', annotations: { 'credinject.dev/env': 'CLEARML_API_ACCESS_KEY=acess' } } };
    const err = await expectApiError(core.createNamespacedSecret({ namespace, body }));
    expect(err.code).toBe(403);
    expect(err.message).toContain('admission webhook "secrets.validate.credinject.dev" denied the request:');
    expect(err.message).toContain('"acess"');
    expect(err.message).not.toContain(ACCESS);
  });
});
