// The synthetic cluster of the scale benchmark, generated on demand and deterministically:
// 100 namespaces, each with credential Secrets of five types and Pods and workloads that
// reference them. Every user references the namespace's shared credential ("registry") plus one to
// three others, the worst case for the usage index (in a real cluster most pods reference none).
// A share of the users (`handWired`, a third by default) is wired by hand instead of through the
// annotation: imagePullSecrets, secretKeyRef, envFrom and a Secret volume, plus a TLS Secret that is
// not a credential (the index keeps those too: a Secret can be labelled after its users arrive).
import { pod } from './admissionReview.mjs';

export const namespaces = 100;

/** Counts per namespace for `secrets` credential Secrets and `users` Pods and workloads in all. */
export function clusterShape(secrets, users, handWired = 1 / 3) {
  const secretsPerNamespace = Math.max(2, Math.round(secrets / namespaces));
  const usersPerNamespace = Math.max(1, Math.round(users / namespaces));
  // 300 Pods, 80 ReplicaSets, 60 Deployments, 20 StatefulSets, 20 Jobs, 10 DaemonSets, 10 CronJobs per 500.
  const mix = { pods: 0.6, replicasets: 0.16, deployments: 0.12, statefulsets: 0.04, jobs: 0.04, daemonsets: 0.02, cronjobs: 0.02 };
  const perNamespace = Object.fromEntries(Object.entries(mix).map(([name, share]) => [name, Math.max(1, Math.round(usersPerNamespace * share))]));
  return { secretsPerNamespace, usersPerNamespace, perNamespace, handWired };
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const namespaceName = (n) => `team-${String(n).padStart(3, '0')}`;
/** Credential 0 of every namespace is the shared one. */
export const credentialName = (i) => (i === 0 ? 'registry' : `cred-${i}`);

const secretData = [
  ['docker-registry', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":{"r.example.com":{"username":"u","password":"fake"}}}' }],
  ['aws', 'Opaque', { access_key_id: 'AKIAEXAMPLEFAKE00001', secret_access_key: 'fake/aws/secret/key/0000000000000000000', region: 'eu-west-1' }],
  ['generic', 'Opaque', { API_TOKEN: 'fake-token-000000000000', API_URL: 'https://api.example.com' }],
  ['password', 'Opaque', { username: 'svc', password: 'fake-password' }],
  ['huggingface', 'Opaque', { token: 'hf_fakeExampleTokenForDocs0000000000' }],
];

const meta = (name, namespace, i, extra = {}) => ({
  ...extra,
  name,
  namespace,
  uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  resourceVersion: String(1000 + i),
  creationTimestamp: '2026-11-01T00:00:00Z',
});

export const kinds = {
  secrets: ['v1', 'Secret'],
  serviceaccounts: ['v1', 'ServiceAccount'],
  namespaces: ['v1', 'Namespace'],
  pods: ['v1', 'Pod'],
  replicasets: ['apps/v1', 'ReplicaSet'],
  deployments: ['apps/v1', 'Deployment'],
  statefulsets: ['apps/v1', 'StatefulSet'],
  daemonsets: ['apps/v1', 'DaemonSet'],
  jobs: ['batch/v1', 'Job'],
  cronjobs: ['batch/v1', 'CronJob'],
};

/** How many objects of a resource the cluster holds. */
/** ServiceAccounts per namespace: `default` and four of apps, one of which gives its Pods the shared credential. */
export const serviceAccountsPerNamespace = 5;

export function countOf(shape, resource) {
  if (resource === 'serviceaccounts') return namespaces * serviceAccountsPerNamespace;
  if (resource === 'namespaces') return namespaces;
  return namespaces * (resource === 'secrets' ? shape.secretsPerNamespace : shape.perNamespace[resource]);
}

function serviceAccountAt(index) {
  const n = Math.floor(index / serviceAccountsPerNamespace);
  const i = index % serviceAccountsPerNamespace;
  const name = i === 0 ? 'default' : `app-${i}`;
  const annotations = i === 1 ? { 'credinject.dev/inject': 'registry' } : { 'eks.amazonaws.com/role-arn': `arn:aws:iam::000000000000:role/${name}` };
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name, namespaceName(n), index, { annotations }) };
}

function secretAt(shape, index) {
  const n = Math.floor(index / shape.secretsPerNamespace);
  const i = index % shape.secretsPerNamespace;
  const [type, secretType, stringData] = secretData[i % secretData.length];
  const data = Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: secretType,
    metadata: meta(credentialName(i), namespaceName(n), index, {
      labels: { 'credinject.dev/type': type, 'app.kubernetes.io/managed-by': 'external-secrets' },
      annotations: { 'credinject.dev/description': `credential ${i} of ${namespaceName(n)}` },
      managedFields: [{ manager: 'external-secrets', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {}, 'f:metadata': {} } }],
    }),
    data,
  };
}

function referencesOf(shape, random) {
  const names = new Set(['registry']);
  const wanted = 1 + Math.min(1 + Math.floor(random() * 3), shape.secretsPerNamespace - 1);
  while (names.size < wanted) names.add(credentialName(1 + Math.floor(random() * (shape.secretsPerNamespace - 1))));
  return [...names];
}

/** Whether object `index` of a resource is wired by hand: evenly spread, `handWired` of them. */
function isHandWired(shape, index) {
  return Math.floor((index + 1) * shape.handWired) !== Math.floor(index * shape.handWired);
}

/** The same credentials referenced the way a hand-written manifest does, plus a TLS Secret. */
function wireByHand(template, names, index) {
  const [registry, ...others] = names;
  const spec = template.spec;
  spec.imagePullSecrets = [{ name: registry }];
  const train = spec.containers.find((c) => c.name === 'train');
  others.forEach((name, i) => {
    if (i === 0) train.envFrom = [{ secretRef: { name } }];
    else if (i === 1) train.env.push({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name, key: 'token' } } });
    else spec.volumes.push({ name: `cred-${i}`, secret: { secretName: name, defaultMode: 0o400 } });
  });
  spec.volumes.push({ name: 'tls', secret: { secretName: `web-tls-${index % 10}` } });
}

function userAt(shape, resource, index) {
  const count = shape.perNamespace[resource];
  const n = Math.floor(index / count);
  const random = prng(index * 7919 + resource.length);
  const [apiVersion, kind] = kinds[resource];
  const template = pod();
  const name = `${resource.slice(0, -1)}-${index % count}`;
  const names = referencesOf(shape, random);
  delete template.metadata.annotations['credinject.dev/containers'];
  if (isHandWired(shape, index)) {
    delete template.metadata.annotations['credinject.dev/inject'];
    wireByHand(template, names, index);
  } else {
    template.metadata.annotations['credinject.dev/inject'] = names.join(', ');
  }
  if (kind === 'Pod') return { ...template, metadata: meta(`${name}-x7k2p`, namespaceName(n), index, template.metadata) };
  const podTemplate = { metadata: { labels: template.metadata.labels, annotations: template.metadata.annotations }, spec: template.spec };
  const metadata = meta(name, namespaceName(n), index, { labels: { app: name }, generation: 3 });
  if (kind === 'CronJob') return { apiVersion, kind, metadata, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: podTemplate } } } };
  if (kind === 'Job') return { apiVersion, kind, metadata, spec: { template: podTemplate } };
  return { apiVersion, kind, metadata, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: podTemplate } };
}

/** Object `index` of `resource` (a plural name of `kinds`). */
/** Every tenth namespace has a policy: the server's Namespace informer reads it. */
function namespaceAt(index) {
  const annotations = index % 10 === 0 ? { 'credinject.dev/allowed-types': 'aws, docker-registry, generic, password, huggingface' } : {};
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(index), uid: `ns-${index}`, resourceVersion: String(100 + index), annotations } };
}

export function objectAt(shape, resource, index) {
  if (resource === 'serviceaccounts') return serviceAccountAt(index);
  if (resource === 'namespaces') return namespaceAt(index);
  return resource === 'secrets' ? secretAt(shape, index) : userAt(shape, resource, index);
}
