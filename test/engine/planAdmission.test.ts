import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions, InjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied, container, podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecret, exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');

function plan(object: unknown, options = defaultInjectionOptions, lookup = credentials) {
  return planAdmission({ object, namespace: 'default', operation: 'CREATE' }, lookup, options);
}

function inject(pod: V1Pod, options = defaultInjectionOptions): V1Pod {
  const decision = plan(pod, options);
  expect(decision.denial).toBeUndefined();
  return applied(pod, decision.patch);
}

const envNames = (pod: V1Pod, name: string) => (container(pod, name).env ?? []).map((e) => e.name);

describe('planAdmission on a Pod', () => {
  it('injects aws env vars from secretKeyRefs into a pod that has no env or annotations arrays', () => {
    const pod = inject(podRequesting('aws-s3'));
    expect(container(pod, 'app').env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } },
      { name: 'AWS_DEFAULT_REGION', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'region' } } },
      { name: 'AWS_REGION', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'region' } } },
    ]);
    expect(pod.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected', 'credinject.dev/injected': 'aws-s3' });
  });

  it('creates whole arrays where the pod lacks them and escapes "/" in annotation keys', () => {
    const bare = podRequesting('gcp-sa');
    const { patch } = plan(bare);
    const paths = patch.map((op) => op.path);
    expect(paths).toContain('/spec/containers/0/env');
    expect(paths).toContain('/spec/containers/0/volumeMounts');
    expect(paths).toContain('/spec/volumes');
    expect(paths).toContain('/metadata/annotations/credinject.dev~1status');
  });

  it('does nothing to a pod that asks for nothing', () => {
    expect(plan(podRequesting(undefined, { annotations: { team: 'ml' } }))).toEqual({ patch: [], warnings: [] });
  });

  it('mounts gcp files and points GOOGLE_APPLICATION_CREDENTIALS at them', () => {
    const pod = inject(podRequesting('gcp-sa'));
    expect(container(pod, 'app').env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/credinject/gcp-sa/service-account.json' });
    expect(container(pod, 'app').volumeMounts).toEqual([{ name: 'credinject-gcp-sa', mountPath: '/var/run/credinject/gcp-sa', readOnly: true }]);
    expect(pod.spec?.volumes).toEqual([
      { name: 'credinject-gcp-sa', secret: { secretName: 'gcp-sa', defaultMode: 0o444, items: [{ key: 'service-account.json', path: 'service-account.json' }] } },
    ]);
  });

  it('makes gcp files group-readable only when the pod has an fsGroup', () => {
    const pod = podRequesting('gcp-sa');
    pod.spec!.securityContext = { fsGroup: 2000 };
    expect(inject(pod).spec?.volumes?.[0]?.secret?.defaultMode).toBe(0o440);
  });

  it('mounts ssh keys at /root/.ssh with mode 0400', () => {
    const pod = inject(podRequesting('git-ssh'));
    expect(container(pod, 'app').volumeMounts).toEqual([{ name: 'credinject-git-ssh', mountPath: '/root/.ssh', readOnly: true }]);
    expect(pod.spec?.volumes?.[0]?.secret).toEqual({ secretName: 'git-ssh', defaultMode: 0o400 });
  });

  it('mounts tls files with the private key owner-only and the certificates readable', () => {
    const pod = inject(podRequesting('postgres-mtls'));
    expect(container(pod, 'app').env).toBeUndefined();
    expect(container(pod, 'app').volumeMounts).toEqual([{ name: 'credinject-postgres-mtls', mountPath: '/var/run/credinject/postgres-mtls', readOnly: true }]);
    expect(pod.spec?.volumes?.[0]?.secret).toEqual({
      secretName: 'postgres-mtls',
      defaultMode: 0o444,
      items: [{ key: 'ca.crt', path: 'ca.crt' }, { key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key', mode: 0o400 }],
    });
  });

  it('makes tls certificates group-readable with an fsGroup, the key still 0400 (kubelet adds the group)', () => {
    const pod = podRequesting('postgres-mtls', { annotations: { 'mount-path.credinject.dev/postgres-mtls': '/etc/pg-tls' } });
    pod.spec!.securityContext = { fsGroup: 2000 };
    const injected = inject(pod);
    expect(container(injected, 'app').volumeMounts?.[0]?.mountPath).toBe('/etc/pg-tls');
    expect(injected.spec?.volumes?.[0]?.secret?.defaultMode).toBe(0o440);
    expect(injected.spec?.volumes?.[0]?.secret?.items?.find((item) => item.key === 'tls.key')?.mode).toBe(0o400);
  });

  it('adds a docker-registry credential as an image pull secret, once', () => {
    const pod = podRequesting('registry');
    pod.spec!.imagePullSecrets = [{ name: 'other' }];
    const injected = inject(pod);
    expect(injected.spec?.imagePullSecrets).toEqual([{ name: 'other' }, { name: 'registry' }]);
    expect(container(injected, 'app').env).toBeUndefined();
  });

  it.each([
    ['access-key', 'minio', ['MINIO_ACCESS_KEY_ID', 'MINIO_SECRET_ACCESS_KEY']],
    ['password', 'postgres', ['POSTGRES_USERNAME', 'POSTGRES_PASSWORD']],
    ['huggingface', 'hf-token', ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']],
    ['azure', 'azure-blob', ['AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY']],
    ['generic', 'wandb', ['WANDB_API_KEY', 'WANDB_ENTITY']],
    ['rclone', 'r2-bucket', ['RCLONE_CONFIG_R2_ACCESS_KEY_ID', 'RCLONE_CONFIG_R2_ENDPOINT', 'RCLONE_CONFIG_R2_PROVIDER', 'RCLONE_CONFIG_R2_SECRET_ACCESS_KEY', 'RCLONE_CONFIG_R2_TYPE']],
  ])('injects %s credentials as env vars', (_type, name, expected) => {
    expect(envNames(inject(podRequesting(name)), 'app')).toEqual(expected);
  });

  it('lets the pod override the env prefix and mount path of a credential', () => {
    const pod = inject(podRequesting('minio, gcp-sa', { annotations: { 'env-prefix.credinject.dev/minio': 'S3_', 'mount-path.credinject.dev/gcp-sa': '/secrets/gcp' } }));
    expect(envNames(pod, 'app')).toEqual(expect.arrayContaining(['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']));
    expect(container(pod, 'app').volumeMounts?.[0]?.mountPath).toBe('/secrets/gcp');
  });

  it('injects into every app container and no init container by default', () => {
    const pod = inject(podRequesting('hf-token', { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'setup' }] }));
    expect(envNames(pod, 'a')).toContain('HF_TOKEN');
    expect(envNames(pod, 'b')).toContain('HF_TOKEN');
    expect(envNames(pod, 'setup')).toEqual([]);
  });

  it('injects only into the containers named, init containers included', () => {
    const pod = inject(podRequesting('hf-token', { annotations: { 'credinject.dev/containers': 'setup, b' }, containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'setup' }] }));
    expect(envNames(pod, 'a')).toEqual([]);
    expect(envNames(pod, 'b')).toContain('HF_TOKEN');
    expect(envNames(pod, 'setup')).toContain('HF_TOKEN');
  });

  it('keeps an env var the container already sets and warns about it', () => {
    const pod = podRequesting('aws-s3', { containers: [{ name: 'app', env: [{ name: 'AWS_REGION', value: 'us-east-1' }] }] });
    const decision = plan(pod);
    const injected = applied(pod, decision.patch);
    expect(container(injected, 'app').env?.filter((e) => e.name === 'AWS_REGION')).toEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
    expect(decision.warnings).toEqual(['container "app" keeps its own AWS_REGION; credential "aws-s3" did not override it']);
  });

  it('is idempotent: planning the injected pod again yields an empty patch and no warning of its own making', () => {
    const pod = podRequesting('aws-s3, gcp-sa, git-ssh, registry, prod-cluster, r2-bucket, postgres-mtls', { annotations: { 'credinject.dev/render': 'r2-bucket:rclone-conf, aws-s3:aws-credentials' } });
    const once = inject(pod);
    const again = plan(once);
    expect(again).toEqual({ patch: [], warnings: [] });
  });

  it('is idempotent with the agent rendering netrc, git-credentials, pgpass, a .env, a token file and templates', () => {
    const pod = podRequesting('wandb, postgres, hf-token, clearml', {
      annotations: { 'credinject.dev/render': 'wandb:netrc, wandb:git-credentials, postgres:pgpass, postgres:env-file, hf-token:huggingface-token, clearml:template' },
    });
    pod.spec!.securityContext = { runAsUser: 1000 };
    const once = inject(pod);
    expect(plan(once)).toEqual({ patch: [], warnings: [] });
  });

  it.each([
    ['a missing credential', 'nope', 'CredentialNotFound', ['"nope"', 'namespace "default"']],
    ['several missing credentials, each named', 'nope, aws-s3, gone', 'CredentialNotFound', ['"nope"', '"gone"']],
    ['an empty inject list', ' , ', 'InvalidAnnotation', ['credinject.dev/inject']],
    ['an invalid credential name', 'Bad_Name', 'InvalidAnnotation', ['"Bad_Name"']],
  ])('denies %s', (_case, inject, reason, fragments) => {
    const decision = plan(podRequesting(inject));
    expect(decision.patch).toEqual([]);
    expect(decision.denial?.reason).toBe(reason);
    for (const fragment of fragments) expect(decision.denial?.message).toContain(fragment);
  });

  it('denies an invalid credential, naming it and the broken key', () => {
    const broken = credentialSecret('half-aws', 'aws', { access_key_id: 'AKIA' });
    const decision = plan(podRequesting('half-aws'), defaultInjectionOptions, staticCredentials([broken], 'default'));
    expect(decision.denial).toEqual({ reason: 'InvalidCredential', message: expect.stringContaining('"half-aws" is invalid: missing required key "secret_access_key"') });
  });

  it('denies two credentials that set the same env var in one container, naming both', () => {
    const other = credentialSecret('aws-other', 'aws', { access_key_id: 'A', secret_access_key: 'B' });
    const lookup = staticCredentials([...exampleSecrets(), other], 'default');
    const decision = plan(podRequesting('aws-s3, aws-other'), defaultInjectionOptions, lookup);
    expect(decision.denial?.reason).toBe('Conflict');
    expect(decision.denial?.message).toContain('"aws-s3" and "aws-other" both set AWS_ACCESS_KEY_ID in container "app"');
  });

  it('denies a mount path that collides with an existing mount, naming both', () => {
    const pod = podRequesting('git-ssh', { containers: [{ name: 'app', volumeMounts: [{ name: 'keys', mountPath: '/root/.ssh' }] }] });
    pod.spec!.volumes = [{ name: 'keys', emptyDir: {} }];
    const decision = plan(pod);
    expect(decision.denial?.message).toContain('credential "git-ssh" mounts at /root/.ssh, where container "app" already mounts volume "keys"');
  });

  it('denies two credentials that want one mount path', () => {
    const second = credentialSecret('git-ssh-2', 'ssh', { id_ed25519: exampleSecret('git-ssh').stringData!['id_ed25519']! });
    const decision = plan(podRequesting('git-ssh, git-ssh-2'), defaultInjectionOptions, staticCredentials([...exampleSecrets(), second], 'default'));
    expect(decision.denial?.message).toContain('"git-ssh" and "git-ssh-2" both mount at /root/.ssh');
  });

  it('denies a container name that does not exist, listing the ones that do', () => {
    const decision = plan(podRequesting('hf-token', { annotations: { 'credinject.dev/containers': 'web' } }));
    expect(decision.denial).toEqual({ reason: 'UnknownContainer', message: 'container "web" named in credinject.dev/containers does not exist; containers are "app"' });
  });

  it('denies a render format the type cannot produce', () => {
    const decision = plan(podRequesting('hf-token', { annotations: { 'credinject.dev/render': 'hf-token:kubeconfig' } }));
    expect(decision.denial?.message).toContain('cannot be rendered as kubeconfig');
  });

  it('keeps volume names DNS-1123 labels of at most 63 characters, deterministically', () => {
    const name = `very-long-credential-name-that-goes-on.and-on-${'x'.repeat(40)}`;
    const lookup = staticCredentials([credentialSecret(name, 'gcp', exampleSecret('gcp-sa').stringData!)], 'default');
    const first = plan(podRequesting(name), defaultInjectionOptions, lookup);
    const volume = applied(podRequesting(name), first.patch).spec?.volumes?.[0]?.name ?? '';
    expect(volume.length).toBeLessThanOrEqual(63);
    expect(volume).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(plan(podRequesting(name), defaultInjectionOptions, lookup).patch).toEqual(first.patch);
  });

  it('does not touch a Pod on UPDATE', () => {
    const decision = planAdmission({ object: podRequesting('nope'), namespace: 'default', operation: 'UPDATE' }, credentials, defaultInjectionOptions);
    expect(decision).toEqual({ patch: [], warnings: [] });
  });
});

describe('planAdmission with rendered credentials', () => {
  it('adds the agent as a native sidecar for a kubernetes credential, with KUBECONFIG and read-only output', () => {
    const pod = inject(podRequesting('prod-cluster', { initContainers: [{ name: 'setup' }] }));
    const [agent, setup] = pod.spec?.initContainers ?? [];
    expect(agent?.name).toBe('credinject-agent');
    expect(agent?.restartPolicy).toBe('Always');
    expect(agent?.startupProbe?.exec?.command).toEqual(['node', '/app/dist/cli/main.js', 'agent', 'probe']);
    expect(agent?.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(setup?.name).toBe('setup');
    const plan = JSON.parse(agent?.env?.[0]?.value ?? '{}');
    expect(plan.outputs).toEqual([
      { credential: 'prod-cluster', format: 'kubeconfig', sourceDir: '/var/run/credinject/secrets/prod-cluster', path: '/var/run/credinject/rendered/prod-cluster/kubeconfig', mode: 0o444 },
    ]);
    expect(container(pod, 'app').env).toEqual([{ name: 'KUBECONFIG', value: '/var/run/credinject/prod-cluster/kubeconfig' }]);
    expect(container(pod, 'app').volumeMounts).toEqual([{ name: 'credinject-prod-cluster-rendered', mountPath: '/var/run/credinject/prod-cluster', readOnly: true }]);
    // The Secret itself is mounted into the agent only.
    expect(container(pod, 'app').volumeMounts?.some((m) => m.name === 'credinject-prod-cluster')).toBe(false);
    expect(agent?.volumeMounts?.map((m) => m.name)).toEqual(['credinject-prod-cluster', 'credinject-prod-cluster-rendered']);
  });

  it('refuses to replace a user container that happens to carry the agent name', () => {
    const decision = plan(podRequesting('prod-cluster', { containers: [{ name: 'app' }, { name: 'credinject-agent', image: 'mine' }] }));
    expect(decision.denial?.message).toBe('container name "credinject-agent" is reserved for the credinject agent; rename that container');
  });

  it('uses an init container plus a plain sidecar in legacy mode', () => {
    const legacy = InjectionOptions.parse({ sidecarMode: 'legacy' });
    const pod = inject(podRequesting('prod-cluster'), legacy);
    expect(pod.spec?.initContainers?.map((c) => [c.name, c.args, c.restartPolicy])).toEqual([['credinject-agent-init', ['agent', '--once'], undefined]]);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app', 'credinject-agent']);
    expect(plan(pod, legacy).patch).toEqual([]);
  });

  it('leaves out the legacy sidecar in pods meant to finish, so Jobs complete', () => {
    const legacy = InjectionOptions.parse({ sidecarMode: 'legacy' });
    const job = podRequesting('prod-cluster');
    job.spec!.restartPolicy = 'Never';
    const pod = inject(job, legacy);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app']);
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['credinject-agent-init']);
  });

  it.each([
    ['aws-s3:aws-credentials', 'aws-s3', 'AWS_SHARED_CREDENTIALS_FILE', '/var/run/credinject/aws-s3/credentials'],
    ['registry:docker-config', 'registry', 'DOCKER_CONFIG', '/var/run/credinject/registry'],
    ['r2-bucket:rclone-conf', 'r2-bucket', 'RCLONE_CONFIG', '/var/run/credinject/r2-bucket/rclone.conf'],
  ])('renders %s on request and points tools at it', (render, name, env, value) => {
    const pod = inject(podRequesting(undefined, { annotations: { 'credinject.dev/render': render } }));
    expect(container(pod, 'app').env).toContainEqual({ name: env, value });
    expect(pod.metadata?.annotations?.['credinject.dev/injected']).toBe(name);
  });
});

describe('planAdmission on workloads', () => {
  const deployment = (annotations: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } as { labels: Record<string, string>; annotations?: Record<string, string> }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });

  it('copies workload annotations into the pod template without injecting', () => {
    const object = deployment({ 'credinject.dev/inject': 'aws-s3', 'mount-path.credinject.dev/aws-s3': '/x' });
    const decision = plan(object);
    const stored = applied(object, decision.patch);
    expect(stored.spec.template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'credinject.dev/inject': 'aws-s3', 'mount-path.credinject.dev/aws-s3': '/x' } });
    expect(stored.spec.template.spec).toEqual(object.spec.template.spec);
    expect(plan(stored).patch).toEqual([]);
  });

  it('denies a workload naming an unknown credential at apply time', () => {
    expect(plan(deployment({ 'credinject.dev/inject': 'nope' })).denial?.message).toContain('credential "nope" not found');
  });

  it('finds the CronJob pod template under jobTemplate', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', annotations: { 'credinject.dev/inject': 'hf-token' } },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } } },
    };
    const stored = applied(cron, plan(cron).patch);
    expect(stored.spec.jobTemplate.spec.template).toMatchObject({ metadata: { annotations: { 'credinject.dev/inject': 'hf-token' } } });
  });

  it('lets an UPDATE through when the credinject annotations did not change, even if a credential is gone now', () => {
    const object = deployment({ 'credinject.dev/inject': 'gone' });
    const decision = planAdmission({ object, oldObject: object, namespace: 'default', operation: 'UPDATE' }, credentials, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
  });

  it('takes back the copy when the workload-level annotation is removed, keeping template-level ones', () => {
    const first = deployment({ 'credinject.dev/inject': 'aws-s3' });
    const stored = applied(first, plan(first).patch);
    stored.spec.template.metadata.annotations = { ...stored.spec.template.metadata.annotations, 'mount-path.credinject.dev/gcp-sa': '/own' };
    const edited = structuredClone(stored);
    edited.metadata.annotations = {};
    const decision = planAdmission({ object: edited, oldObject: stored, namespace: 'default', operation: 'UPDATE' }, credentials, defaultInjectionOptions);
    expect(applied(edited, decision.patch).spec.template.metadata.annotations).toEqual({ 'mount-path.credinject.dev/gcp-sa': '/own' });
  });

  it('keeps a template value the user changed after the copy', () => {
    const old = deployment({ 'credinject.dev/inject': 'aws-s3' });
    const stored = applied(old, plan(old).patch);
    const edited = structuredClone(stored);
    edited.metadata.annotations = {};
    edited.spec.template.metadata.annotations = { 'credinject.dev/inject': 'hf-token' };
    const decision = planAdmission({ object: edited, oldObject: stored, namespace: 'default', operation: 'UPDATE' }, credentials, defaultInjectionOptions);
    expect(applied(edited, decision.patch).spec.template.metadata.annotations).toEqual({ 'credinject.dev/inject': 'hf-token' });
  });

  it('ignores kinds it does not handle', () => {
    expect(plan({ kind: 'ConfigMap', metadata: { annotations: { 'credinject.dev/inject': 'x' } } })).toEqual({ patch: [], warnings: [] });
  });
});

describe('planAdmission purity', () => {
  function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      Object.values(value).forEach(deepFreeze);
      Object.freeze(value);
    }
    return value;
  }

  it.each([
    ['native', defaultInjectionOptions],
    ['legacy', InjectionOptions.parse({ sidecarMode: 'legacy' })],
  ])('never writes into the object it is given (%s sidecar)', (_mode, options) => {
    const pod = podRequesting('aws-s3, gcp-sa, git-ssh, registry, prod-cluster', {
      containers: [{ name: 'app', env: [{ name: 'A', value: '1' }], volumeMounts: [] }, { name: 'side' }],
      initContainers: [{ name: 'setup' }],
    });
    pod.spec!.volumes = [{ name: 'data', emptyDir: {} }];
    const snapshot = structuredClone(pod);
    const decision = plan(deepFreeze(pod), options);
    expect(decision.denial).toBeUndefined();
    expect(decision.patch.length).toBeGreaterThan(0);
    expect(pod).toEqual(snapshot);
  });
});

describe('mount paths set on the Secret', () => {
  it('are used without a trailing slash, as pod annotations are', () => {
    const secret = credentialSecret('gcp-x', 'gcp', exampleSecret('gcp-sa').stringData!, { metadata: { annotations: { 'credinject.dev/mount-path': '/etc/creds/' } } });
    const lookup = staticCredentials([secret], 'default');
    const pod = podRequesting('gcp-x');
    const injected = applied(pod, plan(pod, defaultInjectionOptions, lookup).patch);
    expect(container(injected, 'app').env).toContainEqual({ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/etc/creds/service-account.json' });
    expect(container(injected, 'app').volumeMounts?.[0]?.mountPath).toBe('/etc/creds');
  });
});
