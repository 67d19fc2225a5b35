// The AdmissionReview the admission benchmark sends, and the credentials file it serves.
// The Pod is what kube-apiserver hands a mutating webhook for a ReplicaSet-made pod: defaults filled
// in, the ServiceAccount token volume already added, managedFields of the controller, three app
// containers and one init container with env and mounts, and an annotation naming four credentials
// of different types (aws, gcp, ssh, generic). Every value is fake.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

export const namespace = 'bench';
export const credentialNames = ['aws-s3', 'gcp-sa', 'git-ssh', 'wandb'];

/** The four Secrets copied from examples/credentials.yaml, placed in the bench namespace. */
export function credentialsYaml() {
  const text = readFileSync(fileURLToPath(new URL('../examples/credentials.yaml', import.meta.url)), 'utf8');
  const secrets = parseAllDocuments(text)
    .map((doc) => doc.toJS())
    .filter((object) => object?.kind === 'Secret' && credentialNames.includes(object.metadata?.name));
  if (secrets.length !== credentialNames.length) throw new Error(`examples/credentials.yaml lacks one of ${credentialNames.join(', ')}`);
  return secrets.map((secret) => stringify({ ...secret, metadata: { ...secret.metadata, namespace } })).join('---\n');
}

const defaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' };
const tokenMount = { name: 'kube-api-access-7x2kq', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
const resources = (cpu, memory) => ({ requests: { cpu, memory }, limits: { memory } });

function container(name, image, extra = {}) {
  return { name, image, ...defaults, resources: resources('100m', '128Mi'), ...extra, volumeMounts: [...(extra.volumeMounts ?? []), tokenMount] };
}

function managedFields() {
  const f = (keys) => Object.fromEntries(keys.map((k) => [`f:${k}`, {}]));
  const containerFields = (name) => [
    `k:{"name":"${name}"}`,
    { '.': {}, ...f(['env', 'image', 'imagePullPolicy', 'name', 'resources', 'terminationMessagePath', 'terminationMessagePolicy', 'volumeMounts']) },
  ];
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: '2026-12-01T07:30:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': { '.': {}, 'f:credinject.dev/inject': {}, 'f:credinject.dev/containers': {}, 'f:prometheus.io/scrape': {} },
          'f:generateName': {},
          'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {}, 'f:team': {} },
          'f:ownerReferences': { '.': {}, 'k:{"uid":"4f1c2d3e-0000-4000-8000-000000000001"}': {} },
        },
        'f:spec': {
          'f:containers': Object.fromEntries(['train', 'upload', 'metrics'].map(containerFields)),
          'f:initContainers': Object.fromEntries([containerFields('fetch-code')]),
          'f:dnsPolicy': {},
          'f:enableServiceLinks': {},
          'f:restartPolicy': {},
          'f:schedulerName': {},
          'f:securityContext': {},
          'f:terminationGracePeriodSeconds': {},
          'f:volumes': { '.': {}, 'k:{"name":"work"}': {}, 'k:{"name":"cache"}': {}, 'k:{"name":"config"}': {} },
        },
      },
    },
  ];
}

/** A fresh Pod object (callers may mutate it). */
export function pod() {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'trainer-6d9f7c8b5-',
      namespace,
      creationTimestamp: null,
      labels: { app: 'trainer', team: 'ml', 'pod-template-hash': '6d9f7c8b5' },
      annotations: {
        'credinject.dev/inject': credentialNames.join(', '),
        'credinject.dev/containers': 'fetch-code, train, upload',
        'prometheus.io/scrape': 'true',
        'kubectl.kubernetes.io/restartedAt': '2026-11-30T12:00:00Z',
      },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'trainer-6d9f7c8b5', uid: '4f1c2d3e-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true },
      ],
      managedFields: managedFields(),
    },
    spec: {
      initContainers: [
        container('fetch-code', 'alpine/git:2.45.2', {
          args: ['clone', '--depth=1', 'git@github.com:example/models.git', '/work/src'],
          env: [{ name: 'GIT_TERMINAL_PROMPT', value: '0' }],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        }),
      ],
      containers: [
        container('train', 'ghcr.io/example/trainer:1.4', {
          command: ['python', '-m', 'trainer'],
          args: ['--epochs', '30', '--data', 's3://example-data/train'],
          env: [
            { name: 'AWS_REGION', value: 'us-east-1' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          resources: resources('2', '8Gi'),
          volumeMounts: [
            { name: 'work', mountPath: '/work' },
            { name: 'cache', mountPath: '/cache' },
            { name: 'config', mountPath: '/etc/trainer', readOnly: true },
          ],
        }),
        container('upload', 'ghcr.io/example/uploader:0.9', {
          env: [{ name: 'UPLOAD_BUCKET', value: 'gs://example-models' }],
          volumeMounts: [{ name: 'work', mountPath: '/work', readOnly: true }],
        }),
        container('metrics', 'ghcr.io/example/metrics-exporter:0.3', {
          ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }],
        }),
      ],
      volumes: [
        { name: 'work', emptyDir: {} },
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'config', configMap: { name: 'trainer-config', defaultMode: 420 } },
        {
          name: 'kube-api-access-7x2kq',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'trainer',
      serviceAccount: 'trainer',
      securityContext: { runAsNonRoot: true, fsGroup: 1000 },
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {},
  };
}

export const reviewUid = '705ab4f5-6393-11e8-b7cc-42010a800002';

/** The AdmissionReview for a CREATE of `pod()`, as kube-apiserver sends it. */
export function review() {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: reviewUid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace,
      operation: 'CREATE',
      userInfo: {
        username: 'system:serviceaccount:kube-system:replicaset-controller',
        uid: '2d7f0d3a-0000-4000-8000-0000000000aa',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
      },
      object: pod(),
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}
