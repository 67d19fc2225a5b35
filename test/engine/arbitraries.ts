import type { V1Container, V1EnvVar, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { keys } from '../../src/contract/keys.js';
import type { SidecarMode } from '../../src/engine/options.js';

/**
 * Generators for the engine's property tests: Pods and workloads as a user (or another webhook)
 * would write them, with the awkward cases credinject must survive mixed in — env names credinject
 * also sets, mounts at credinject's default paths, hostile annotation keys, unknown names.
 */

export const namespace = 'team-a';

/** Every Secret of `examples/credentials.yaml`. */
export const exampleSecrets: V1Secret[] = parseAllDocuments(readFileSync(new URL('../../examples/credentials.yaml', import.meta.url), 'utf8')).map(
  (document) => document.toJS() as V1Secret,
);

function exampleSecret(name: string): V1Secret {
  const secret = exampleSecrets.find((candidate) => candidate.metadata?.name === name);
  if (!secret) throw new Error(`examples/credentials.yaml has no Secret ${name}`);
  return secret;
}

function renamed(name: string, from: string): V1Secret {
  const copy = structuredClone(exampleSecret(from));
  copy.metadata = { ...copy.metadata, name };
  return copy;
}

/** A name too long for `credinject-<name>` to be a volume name, with dots: it takes the hashed form. */
export const longCredentialName = 'team.gcp-sa.service-account-for-training-pipelines-in-the-production-project';

function withAnnotation(secret: V1Secret, key: string, value: string): V1Secret {
  return { ...secret, metadata: { ...secret.metadata, annotations: { ...secret.metadata?.annotations, [key]: value } } };
}

/**
 * Credentials beyond the examples: a second ssh key (both want `/root/.ssh`), a long dotted name, a
 * name ending in `-rendered` next to a rendered `prod-cluster`, generic files at a mount path the
 * Secret gives with a trailing slash, and an invalid one (aws without its secret key).
 */
const extraSecrets: V1Secret[] = [
  renamed('deploy-ssh', 'git-ssh'),
  renamed(longCredentialName, 'gcp-sa'),
  renamed('prod-cluster-rendered', 'gcp-sa'),
  withAnnotation(renamed('wandb-files', 'wandb'), keys.mountPath, '/etc/creds/'),
  { ...renamed('broken-aws', 'aws-s3'), stringData: { access_key_id: 'AKIAEXAMPLEFAKE00002' } },
  // ClearML as HPE/Pachyderm store it: lower-case keys the owner maps to env names.
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'clearml-keys', labels: { [keys.typeLabel]: 'generic' }, annotations: { [keys.env]: 'CLEARML_API_ACCESS_KEY=access, CLEARML_API_SECRET_KEY=secret' } },
    stringData: { access: 'FAKECLEARMLACCESS000', secret: 'fake-clearml-keys-secret', host: 'api.clear.ml' },
  },
];

export const credentials = staticCredentials([...exampleSecrets, ...extraSecrets], namespace);

export const exampleCredentialNames: string[] = exampleSecrets.map((secret) => secret.metadata?.name ?? '');
export const knownCredentialNames: string[] = [...exampleCredentialNames, ...extraSecrets.map((secret) => secret.metadata?.name ?? '')];
export const brokenCredentialName = 'broken-aws';
export const validCredentialNames: string[] = knownCredentialNames.filter((name) => name !== brokenCredentialName);
export const unknownCredentialName = 'no-such-credential';

/** Env names some credential sets, so that the pod's own env collides with them. */
export const injectedEnvNames = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_SHARED_CREDENTIALS_FILE',
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'MINIO_ACCESS_KEY_ID',
  'POSTGRES_PASSWORD',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AZURE_STORAGE_ACCOUNT',
  'KUBECONFIG',
  'DOCKER_CONFIG',
  'RCLONE_CONFIG',
  'RCLONE_CONFIG_R2_TYPE',
  'WANDB_API_KEY',
  'MLFLOW_TRACKING_TOKEN',
];

/** Env entries exactly as credinject writes them: "already injected" by an earlier invocation. */
const credinjectLikeEnv: V1EnvVar[] = [
  { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } },
  { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } },
  { name: 'KUBECONFIG', value: '/var/run/credinject/prod-cluster/kubeconfig' },
];

/** Mount paths credinject uses by default, with the spellings a user might give them. */
export const credinjectPaths = ['/root/.ssh', '/root/.ssh/', '/var/run/credinject', ...knownCredentialNames.map((name) => `/var/run/credinject/${name}`)];

/** Annotation keys that JSON Pointer must escape (`/` → `~1`, `~` → `~0`) or that touch prototypes. */
export const hostileKeys = ['__proto__', 'constructor', 'example.com/a~b', 'a/b/c', '~0~1', 'x~1y/z', '/leading', 'trailing/', '~', '//'];

/** A DNS-1123 label as users write container and volume names; never one of credinject's own names. */
export const dnsLabel = fc
  .stringMatching(/^[a-z]([-a-z0-9]{0,14}[a-z0-9])?$/)
  .filter((name) => !name.startsWith('credinject'));

const envName = fc.oneof(fc.constantFrom(...injectedEnvNames), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/));

const envVar: fc.Arbitrary<V1EnvVar> = fc.oneof(
  envName.chain((name) =>
    fc.oneof(
      fc.string({ maxLength: 12 }).map((value): V1EnvVar => ({ name, value })),
      fc.constant<V1EnvVar>({ name, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }),
      fc.constantFrom(...knownCredentialNames, 'app-secret').map((secret): V1EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key: 'token' } } })),
    ),
  ),
  fc.constantFrom(...credinjectLikeEnv),
);

const userVolume = (name: string): fc.Arbitrary<V1Volume> =>
  fc.oneof(
    fc.constant<V1Volume>({ name, emptyDir: {} }),
    fc.constant<V1Volume>({ name, configMap: { name: `${name}-config` } }),
    fc.constant<V1Volume>({ name, secret: { secretName: 'app-secret' } }),
  );

/** User volumes; now and then one squatting a credinject name with other content. */
const volumes: fc.Arbitrary<V1Volume[]> = fc
  .uniqueArray(fc.oneof({ weight: 9, arbitrary: dnsLabel }, { weight: 1, arbitrary: fc.constantFrom('credinject-git-ssh', 'credinject-prod-cluster-rendered') }), {
    maxLength: 4,
  })
  .chain((names) => fc.tuple(...names.map(userVolume)));

/** A mount path the way the runtime resolves it (`//`, `.`, `..` and trailing slashes gone), for uniqueness. */
export function normalizePath(path: string): string {
  return posix.normalize(path).replace(/\/+$/, '') || '/';
}

const mountPath = fc.oneof(fc.constantFrom(...credinjectPaths, '/data', '/etc/creds', '/etc/creds/', '/etc//creds', '/etc/./creds', '/mnt/../etc/creds'), dnsLabel.map((label) => `/mnt/${label}`));

function volumeMounts(volumeNames: readonly string[]): fc.Arbitrary<V1VolumeMount[]> {
  if (volumeNames.length === 0) return fc.constant([]);
  const mount = fc.record(
    { name: fc.constantFrom(...volumeNames), mountPath, readOnly: fc.option(fc.boolean(), { nil: undefined }) },
    { requiredKeys: ['name', 'mountPath'] },
  );
  return fc.uniqueArray(mount, { maxLength: 3, selector: (item) => normalizePath(item.mountPath) }).map((items) => items.map(compact));
}

function container(name: string, volumeNames: readonly string[]): fc.Arbitrary<V1Container> {
  return fc
    .record(
      {
        env: fc.option(fc.uniqueArray(envVar, { maxLength: 4, selector: (variable) => variable.name }), { nil: undefined }),
        volumeMounts: fc.option(volumeMounts(volumeNames), { nil: undefined }),
        args: fc.option(fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }), { nil: undefined }),
      },
      { requiredKeys: [] },
    )
    .map((fields) => compact({ name, image: `registry.example.com/${name}:1`, ...fields }));
}

/** Remove keys whose value is undefined: JSON has no undefined, and the API server never sends one. */
export function compact<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

export interface PodShape {
  containers: V1Container[];
  initContainers?: V1Container[];
  volumes?: V1Volume[];
  securityContext?: { fsGroup?: number; runAsUser?: number };
  restartPolicy?: string;
  imagePullSecrets?: { name: string }[];
}

/** A pod spec: 1–5 containers and 0–3 init containers with names unique in the pod. */
export const podSpec: fc.Arbitrary<PodShape> = fc
  .record({
    counts: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 3 })),
    volumes,
    initAbsent: fc.boolean(),
    fsGroup: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
    runAsUser: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
    restartPolicy: fc.option(fc.constantFrom('Always', 'OnFailure', 'Never'), { nil: undefined }),
    imagePullSecrets: fc.option(fc.subarray(['registry', 'other-pull-secret']), { nil: undefined }),
  })
  .chain(({ counts: [apps, inits], volumes: vols, initAbsent, fsGroup, runAsUser, restartPolicy, imagePullSecrets }) =>
    fc.uniqueArray(dnsLabel, { minLength: apps + inits, maxLength: apps + inits }).chain((names) => {
      const volumeNames = vols.map((volume) => volume.name);
      return fc.tuple(fc.tuple(...names.slice(0, apps).map((name) => container(name, volumeNames))), fc.tuple(...names.slice(apps).map((name) => container(name, volumeNames)))).map(
        ([containers, initContainers]): PodShape => {
          const securityContext = compact({ fsGroup, runAsUser });
          return compact({
            containers,
            initContainers: initContainers.length === 0 && initAbsent ? undefined : initContainers,
            volumes: vols.length === 0 ? undefined : vols,
            securityContext: Object.keys(securityContext).length === 0 ? undefined : securityContext,
            restartPolicy,
            imagePullSecrets: imagePullSecrets?.map((name) => ({ name })),
          });
        },
      );
    }),
  );

/** Valid render requests, and some the engine must refuse (formats the type lacks, an unknown format). */
const renderEntries = [
  'aws-s3:aws-credentials',
  'r2-bucket:rclone-conf',
  'registry:docker-config',
  'prod-cluster:kubeconfig',
  'wandb:netrc',
  'wandb:git-credentials',
  'postgres:pgpass',
  'postgres:env-file',
  'hf-token:huggingface-token',
  'clearml:template',
];
const badRenderEntries = ['gcp-sa:kubeconfig', 'hf-token:bogus', 'aws-s3:netrc'];
const mountPathValues = ['/root/.ssh', '/etc/creds', '/etc/creds/', '/etc//creds', '/etc/./creds', '/data', '/var/run/credinject/aws-s3', '/mnt/shared'];
const badMountPathValues = ['relative/path', '/with:colon', '/', '/var/run/../../etc'];
const envPrefixValues = ['', 'AWS_', 'MY_', 'X1_'];
const badEnvPrefixValues = ['bad-prefix'];

/**
 * Shapes per credential (issue 13): key → env mappings, key subsets and file modes that fit the
 * credential, and the mistakes each must be denied for (a key it lacks, a bad or repeated name, a
 * name another credential sets, a mode too wide for private keys). Agent settings within and outside
 * the default bounds.
 */
const envMappings: readonly [string, string][] = [
  ['aws-s3', 'S3_ACCESS_KEY=access_key_id, S3_SECRET_KEY=secret_access_key'],
  ['hf-token', 'HF_TOKEN=token, HUGGINGFACE_TOKEN=token'],
  ['clearml-keys', 'CLEARML_API_HOST=host'],
  ['postgres', 'PGUSER=username, PGPASSWORD=password'],
  ['wandb', 'WANDB_KEY=WANDB_API_KEY'],
  ['minio', 'AWS_ACCESS_KEY_ID=access_key_id'],
];
const badEnvMappings: readonly [string, string][] = [
  ['aws-s3', 'S3_KEY=nope'],
  ['hf-token', '1TOKEN=token'],
  ['postgres', 'PGUSER=username, PGUSER=password'],
  ['hf-token', 'AWS_REGION=token'],
  ['git-ssh', 'KEY=id_ed25519'],
];
const keySubsets: readonly [string, string][] = [
  ['aws-s3', 'access_key_id, secret_access_key'],
  ['postgres-mtls', 'tls.crt, tls.key'],
  ['clearml-keys', 'access'],
  ['wandb', 'WANDB_API_KEY'],
  ['postgres', 'username, password'],
];
const badKeySubsets: readonly [string, string][] = [['aws-s3', 'token'], ['registry', '.dockerconfigjson'], ['hf-token', ',']];
const fileModes: readonly [string, string][] = [['gcp-sa', '0400'], ['git-ssh', '0600'], ['postgres-mtls', '0440'], ['postgres-mtls', '0400'], ['hf-token', '0400'], ['clearml', '0440']];
const badFileModes: readonly [string, string][] = [['git-ssh', '0644'], ['gcp-sa', '0800'], ['postgres-mtls', '0444']];
const agentSettingValues = ['mode=init-only', 'cpu=50m, memory=64Mi', 'mode=sidecar, cpu=20m', 'mode=init-only, memory=100Mi'];
const badAgentSettingValues = ['cpu=2', 'memory=1Gi', 'mode=daemon', ''];

/** Mostly `good`, now and then (about one in `rarity`) one of `bad`: enough requests survive to be injected. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, rarity = 12): fc.Arbitrary<T> {
  return fc.oneof({ weight: rarity - 1, arbitrary: good }, { weight: 1, arbitrary: bad });
}

/**
 * The credinject annotations a user writes, as entries: inject (a subset of the known credentials,
 * sometimes an unknown or an invalid one), containers (some, sometimes a missing one or none), render,
 * and per-credential mount-path and env-prefix overrides. Each kind of mistake is rare, so most
 * requests are injected and the rest exercise every reason to deny.
 */
export function requestAnnotations(containerNames: readonly string[]): fc.Arbitrary<[string, string][]> {
  const containersValue = mostly(
    fc.subarray([...containerNames], { minLength: 1 }).map((names) => names.join(', ')),
    fc.oneof(fc.subarray([...containerNames]).map((names) => [...names, 'no-such-container'].join(',')), fc.constant('')),
    8,
  );
  const perCredential = (prefix: string, values: readonly string[], bad: readonly string[]) =>
    fc
      .uniqueArray(fc.tuple(fc.constantFrom(...validCredentialNames), mostly(fc.constantFrom(...values), fc.constantFrom(...bad), 16)), { minLength: 1, maxLength: 2, selector: ([name]) => name })
      .map((pairs) => pairs.map(([name, value]): [string, string] => [`${prefix}${name}`, value]));
  const shaped = (prefix: string, values: readonly [string, string][], bad: readonly [string, string][]) =>
    fc
      .uniqueArray(mostly(fc.constantFrom(...values), fc.constantFrom(...bad), 16), { minLength: 1, maxLength: 2, selector: ([name]) => name })
      .map((pairs) => pairs.map(([name, value]): [string, string] => [`${prefix}${name}`, value]));
  const extra = mostly(fc.constant<string[]>([]), fc.constantFrom([unknownCredentialName], [brokenCredentialName]), 10);
  return fc
    .record({
      inject: fc.option(
        fc.tuple(mostly(fc.shuffledSubarray(validCredentialNames, { minLength: 1, maxLength: 4 }), fc.constant<string[]>([]), 20), extra, fc.constantFrom(',', ', ', ' , ')).map(([names, more, separator]) => [...names, ...more].join(separator)),
        { freq: 8, nil: undefined },
      ),
      containers: fc.option(containersValue, { freq: 2, nil: undefined }),
      render: fc.option(
        fc.tuple(fc.shuffledSubarray(renderEntries, { minLength: 1, maxLength: 3 }), mostly(fc.constant<string[]>([]), fc.subarray(badRenderEntries, { minLength: 1 }))).map(
          ([entries, bad]) => [...entries, ...bad].join(','),
        ),
        { freq: 2, nil: undefined },
      ),
      mountPaths: fc.option(perCredential(keys.mountPathFor, mountPathValues, badMountPathValues), { freq: 2, nil: undefined }),
      envPrefixes: fc.option(perCredential(keys.envPrefixFor, envPrefixValues, badEnvPrefixValues), { freq: 2, nil: undefined }),
      envMaps: fc.option(shaped(keys.envFor, envMappings, badEnvMappings), { freq: 2, nil: undefined }),
      subsets: fc.option(shaped(keys.keysFor, keySubsets, badKeySubsets), { freq: 2, nil: undefined }),
      modes: fc.option(shaped(keys.modeFor, fileModes, badFileModes), { freq: 2, nil: undefined }),
      agent: fc.option(mostly(fc.constantFrom(...agentSettingValues), fc.constantFrom(...badAgentSettingValues), 16), { freq: 2, nil: undefined }),
    })
    .map(({ inject, containers, render, mountPaths, envPrefixes, envMaps, subsets, modes, agent }) => [
      ...(inject === undefined ? [] : [[keys.inject, inject] as [string, string]]),
      ...(containers === undefined ? [] : [[keys.containers, containers] as [string, string]]),
      ...(render === undefined ? [] : [[keys.render, render] as [string, string]]),
      ...(mountPaths ?? []),
      ...(envPrefixes ?? []),
      ...(envMaps ?? []),
      ...(subsets ?? []),
      ...(modes ?? []),
      ...(agent === undefined ? [] : [[keys.agent, agent] as [string, string]]),
    ]);
}

/** Annotations that are not credinject's, hostile keys (for JSON Pointer and prototypes) among them. */
export const otherAnnotations: fc.Arbitrary<[string, string][]> = fc.tuple(
  fc.option(fc.shuffledSubarray(hostileKeys, { minLength: 1 }), { nil: undefined }),
  fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,8}(\.example\.com\/[a-z]{1,8})?$/), fc.string({ maxLength: 10 })), { maxLength: 2, selector: ([key]) => key }),
  fc.string({ maxLength: 8 }),
).map(([hostile, plain, value]) => [...(hostile ?? []).map((key): [string, string] => [key, `${value}~/${key}`]), ...plain]);

/**
 * The object as JSON would carry it: a tree. Generators reuse constant objects, and a clone keeps
 * the sharing, so without this one patched env entry would show up in two containers.
 * (JSON.parse keeps `__proto__` as an own key.)
 */
export function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Build an annotation map from entries: `Object.fromEntries` keeps `__proto__` as an own key. */
export function annotationMap(entries: readonly [string, string][]): Record<string, string> {
  return Object.fromEntries(entries);
}

export interface GeneratedPod {
  pod: { apiVersion: 'v1'; kind: 'Pod'; metadata: Record<string, unknown>; spec: PodShape };
  mode: SidecarMode;
}

export const sidecarMode: fc.Arbitrary<SidecarMode> = fc.constantFrom('native', 'legacy');

/** Every container name of a pod shape, init containers included. */
export function containerNames(spec: PodShape): string[] {
  return [...spec.containers, ...(spec.initContainers ?? [])].map((item) => item.name);
}

/** A Pod as the API server hands it to the mutating webhook (from `generateName`, so unnamed, sometimes). */
export const generatedPod: fc.Arbitrary<GeneratedPod> = podSpec.chain((spec) =>
  fc
    .record({
      request: requestAnnotations(containerNames(spec)),
      other: otherAnnotations,
      hostileLabels: fc.boolean(),
      named: fc.boolean(),
      mode: sidecarMode,
    })
    .map(({ request, other, hostileLabels, named, mode }) => {
      const metadata: Record<string, unknown> = named ? { name: 'trainer', namespace } : { generateName: 'trainer-', namespace };
      const entries = [...other, ...request];
      if (entries.length > 0) metadata['annotations'] = annotationMap(entries);
      if (hostileLabels) metadata['labels'] = annotationMap([['app', 'trainer'], ['example.com/a~b', 'c']]);
      return { pod: asJson({ apiVersion: 'v1', kind: 'Pod', metadata, spec }), mode };
    }),
);

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

export interface GeneratedWorkload {
  workload: Record<string, unknown> & { kind: WorkloadKind; metadata: Record<string, unknown> };
  mode: SidecarMode;
}

/** The pod template of a generated workload (by kind), for reading results. */
export function templateOf(workload: Record<string, unknown>): { metadata?: Record<string, unknown>; spec: PodShape } {
  const spec = workload['spec'] as Record<string, unknown>;
  const holder = workload['kind'] === 'CronJob' ? ((spec['jobTemplate'] as Record<string, unknown>)['spec'] as Record<string, unknown>) : spec;
  return holder['template'] as { metadata?: Record<string, unknown>; spec: PodShape };
}

function wrap(kind: WorkloadKind, metadata: Record<string, unknown>, template: Record<string, unknown>): GeneratedWorkload['workload'] {
  const selector = { matchLabels: { app: 'trainer' } };
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: 2, selector, template } };
    case 'DaemonSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { backoffLimit: 1, template } };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template } } } };
  }
}

/**
 * A workload wrapping a generated pod template. Request annotations go to the workload's metadata,
 * to the template's, or are split between both (where both set a key, the values may differ).
 */
export const generatedWorkload: fc.Arbitrary<GeneratedWorkload> = fc
  .record({ kind: fc.constantFrom<WorkloadKind>('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'), spec: podSpec })
  .chain(({ kind, spec }) =>
    fc
      .record({
        request: requestAnnotations(containerNames(spec)),
        templateRequest: requestAnnotations(containerNames(spec)),
        placement: fc.constantFrom('workload', 'template', 'both'),
        other: otherAnnotations,
        templateOther: otherAnnotations,
        mode: sidecarMode,
      })
      .map(({ request, templateRequest, placement, other, templateOther, mode }): GeneratedWorkload => {
        const podSpecOf: PodShape = kind === 'Job' || kind === 'CronJob' ? { ...spec, restartPolicy: spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure' } : spec;
        const onWorkload = placement === 'template' ? other : [...other, ...request];
        const onTemplate = placement === 'workload' ? templateOther : placement === 'template' ? [...templateOther, ...request] : [...templateOther, ...templateRequest];
        const metadata: Record<string, unknown> = { name: 'trainer', namespace };
        if (onWorkload.length > 0) metadata['annotations'] = annotationMap(onWorkload);
        const templateMetadata: Record<string, unknown> = { labels: { app: 'trainer' } };
        if (onTemplate.length > 0) templateMetadata['annotations'] = annotationMap(onTemplate);
        return { workload: asJson(wrap(kind, metadata, { metadata: templateMetadata, spec: podSpecOf })), mode };
      }),
  );

/**
 * A container another mutating webhook adds after credinject ran (a mesh proxy, a log shipper),
 * as an app or an init container, with a name the pod does not use yet.
 */
export function laterContainer(spec: PodShape): fc.Arbitrary<{ container: V1Container; init: boolean }> {
  const taken = new Set(containerNames(spec));
  const name = ['istio-proxy', 'vault-agent', 'log-shipper', 'late-comer'].find((candidate) => !taken.has(candidate)) ?? 'late-comer-2';
  return fc.record({ container: container(name, (spec.volumes ?? []).map((volume) => volume.name)), init: fc.boolean() }).map(asJson);
}

/** Values of the wrong type for any field: what a YAML slip (`inject: true`) or a forged review carries. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 2 }),
  fc.constant({ name: 5 }),
);

/** Fields of a pod (or pod template) the engine reads, each a place a hostile value may land. */
const hostilePaths: readonly (string | number)[][] = [
  ['metadata'],
  ['metadata', 'annotations'],
  ['metadata', 'annotations', keys.inject],
  ['metadata', 'annotations', keys.render],
  ['metadata', 'annotations', keys.containers],
  ['metadata', 'annotations', `${keys.mountPathFor}aws-s3`],
  ['metadata', 'annotations', `${keys.envPrefixFor}minio`],
  ['metadata', 'annotations', `${keys.envFor}aws-s3`],
  ['metadata', 'annotations', `${keys.keysFor}postgres-mtls`],
  ['metadata', 'annotations', `${keys.modeFor}gcp-sa`],
  ['metadata', 'annotations', keys.agent],
  ['spec'],
  ['spec', 'containers'],
  ['spec', 'containers', 0],
  ['spec', 'containers', 0, 'name'],
  ['spec', 'containers', 0, 'env'],
  ['spec', 'containers', 0, 'env', 0],
  ['spec', 'containers', 0, 'env', 0, 'name'],
  ['spec', 'containers', 0, 'volumeMounts'],
  ['spec', 'containers', 0, 'volumeMounts', 0],
  ['spec', 'containers', 0, 'volumeMounts', 0, 'mountPath'],
  ['spec', 'initContainers'],
  ['spec', 'initContainers', 0],
  ['spec', 'volumes'],
  ['spec', 'volumes', 0],
  ['spec', 'imagePullSecrets'],
  ['spec', 'imagePullSecrets', 0],
  ['spec', 'securityContext'],
  ['spec', 'securityContext', 'fsGroup'],
  ['spec', 'securityContext', 'runAsUser'],
  ['spec', 'restartPolicy'],
  ['spec', 'os'],
  ['spec', 'os', 'name'],
];

/** Set a copy of `generated` at `path`, creating objects on the way; a step into something that is not a container replaces it. */
function setAt(root: Record<string, unknown>, path: readonly (string | number)[], generated: unknown): void {
  // A copy: fast-check hands out the same instance of fc.constant({}) to every run, so writing into it
  // (a second corruption below the first) would change later runs and can make the object cyclic.
  const value = structuredClone(generated);
  let node: Record<string | number, unknown> = root;
  for (const [index, step] of path.entries()) {
    if (index === path.length - 1) {
      node[step] = value;
      return;
    }
    const next = node[step];
    node[step] = typeof next === 'object' && next !== null ? next : typeof path[index + 1] === 'number' ? [] : {};
    node = node[step] as Record<string | number, unknown>;
  }
}

const corruptions = fc.array(fc.tuple(fc.constantFrom(...hostilePaths), hostileValue), { minLength: 1, maxLength: 2 });

/** A generated Pod with one or two of its fields given a value of the wrong type. */
export const hostilePod: fc.Arbitrary<GeneratedPod & { corrupted: string[] }> = fc.tuple(generatedPod, corruptions).map(([generated, changes]) => {
  const pod = asJson(generated.pod) as unknown as Record<string, unknown>;
  for (const [path, value] of changes) setAt(pod, path, value);
  return { ...generated, pod: pod as unknown as GeneratedPod['pod'], corrupted: changes.map(([path]) => path.join('.')) };
});

/** A generated workload with hostile values in its own metadata or anywhere in its pod template. */
export const hostileWorkload: fc.Arbitrary<GeneratedWorkload & { corrupted: string[] }> = fc
  .tuple(generatedWorkload, corruptions, fc.boolean())
  .map(([generated, changes, onWorkload]) => {
    const workload = asJson(generated.workload);
    const prefix = workload.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
    const paths = changes.map(([path, value]): [(string | number)[], unknown] => [onWorkload && path[0] === 'metadata' ? path : [...prefix, ...path], value]);
    for (const [path, value] of paths) setAt(workload, path, value);
    return { ...generated, workload, corrupted: paths.map(([path]) => path.join('.')) };
  });
