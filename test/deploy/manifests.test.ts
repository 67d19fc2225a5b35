/**
 * The shipped manifests (deploy/credinject.yaml, rendered from charts/credinject) pin credinject's
 * public interface: webhook names, paths, rules, selectors and conditions, and the security posture
 * of the server. hack/check-deploy.sh keeps deploy/ equal to the chart; these tests say what it holds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type {
  KubernetesObject,
  V1ClusterRole,
  V1Deployment,
  V1MutatingWebhook,
  V1Role,
  V1Service,
  V1ValidatingWebhook,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { requestKeys } from '../../src/engine/injectionRequest.js';
import { guardPolicy, loadDeployManifests, parseManifests, webhookConfigurations, webhookConfigurationsForUrl } from './deployManifests.js';

const NAMESPACE = 'credinject-system';
const objects = loadDeployManifests();
const { mutating, validating } = webhookConfigurations(objects);

function find<T extends KubernetesObject>(kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/credinject.yaml`);
  return found as T;
}

function hook<T extends V1MutatingWebhook | V1ValidatingWebhook>(hooks: T[] | undefined, name: string): T {
  const found = hooks?.find((h) => h.name === name);
  if (!found) throw new Error(`no webhook ${name}`);
  return found;
}

/** The CEL test of one annotations map: any key that asks credinject for something (the engine's `requestKeys`). */
const asks = (annotations: string) => `(${requestKeys.map((key) => `'${key}' in ${annotations}`).join(' || ')})`;
const onObject = `has(object.metadata) && has(object.metadata.annotations) && ${asks('object.metadata.annotations')}`;
const onTemplate =
  'has(object.spec) && has(object.spec.template) && has(object.spec.template.metadata) && ' +
  `has(object.spec.template.metadata.annotations) && ${asks('object.spec.template.metadata.annotations')}`;
const onJobTemplate =
  'has(object.spec) && has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec) && ' +
  'has(object.spec.jobTemplate.spec.template) && has(object.spec.jobTemplate.spec.template.metadata) && ' +
  'has(object.spec.jobTemplate.spec.template.metadata.annotations) && ' +
  asks('object.spec.jobTemplate.spec.template.metadata.annotations');

const workloadKinds = ['deployments', 'statefulsets', 'daemonsets', 'replicasets'];

const allWebhooks: Array<V1MutatingWebhook | V1ValidatingWebhook> = [
  ...(mutating.webhooks ?? []),
  ...(validating.webhooks ?? []),
];

describe('deploy/', () => {
  it('holds the objects of one release in credinject-system', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(
      [
        'ClusterRole/credinject',
        'ClusterRole/credinject-webhook-ca',
        'ClusterRole/credinject-events',
        'ClusterRoleBinding/credinject-events',
        'ClusterRoleBinding/credinject',
        'ClusterRoleBinding/credinject-webhook-ca',
        'Deployment/credinject',
        'MutatingWebhookConfiguration/credinject',
        'PodDisruptionBudget/credinject',
        'Role/credinject',
        'Role/credinject-tls',
        'RoleBinding/credinject',
        'RoleBinding/credinject-tls',
        'Service/credinject',
        'ServiceAccount/credinject',
        'ValidatingWebhookConfiguration/credinject',
        'ValidatingAdmissionPolicy/credinject-injected',
        'ValidatingAdmissionPolicyBinding/credinject-injected',
      ].sort(),
    );
    for (const o of objects.filter((x) => !/^(Cluster|MutatingWebhook|ValidatingWebhook|ValidatingAdmissionPolicy)/.test(x.kind ?? ''))) {
      expect(o.metadata?.namespace, `${o.kind}/${o.metadata?.name}`).toBe(NAMESPACE);
    }
  });

  it('is a kustomize base of the namespace and the release', () => {
    const dir = new URL('../../deploy/', import.meta.url);
    const [kustomization] = parseManifests(readFileSync(fileURLToPath(new URL('kustomization.yaml', dir)), 'utf8'));
    expect(kustomization).toMatchObject({
      kind: 'Kustomization',
      resources: ['namespace.yaml', 'credinject.yaml'],
      configurations: ['kustomizeconfig.yaml'],
    });
    const [namespace] = parseManifests(readFileSync(fileURLToPath(new URL('namespace.yaml', dir)), 'utf8'));
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: NAMESPACE } });
  });
});

describe('webhook configurations', () => {
  it('name exactly the eight public webhooks', () => {
    expect(mutating.webhooks?.map((h) => h.name)).toEqual([
      'pods.mutate.credinject.dev',
      'namespace-pods.mutate.credinject.dev',
      'workloads.mutate.credinject.dev',
      'cronjobs.mutate.credinject.dev',
    ]);
    expect(validating.webhooks?.map((h) => h.name)).toEqual([
      'secrets.validate.credinject.dev',
      'workloads.validate.credinject.dev',
      'namespace-pods.validate.credinject.dev',
      'references.validate.credinject.dev',
    ]);
  });

  it.each(allWebhooks.map((h) => [h.name, h] as const))('%s: v1 only, no side effects, 5 s, fails closed unless it sees Pods nobody opted in', (name, h) => {
    expect(h.admissionReviewVersions).toEqual(['v1']);
    expect(h.sideEffects).toBe('None');
    expect(h.matchPolicy).toBe('Equivalent');
    expect(h.timeoutSeconds).toBe(5);
    // references.validate sees every unannotated object that mounts a Secret: it must fail open.
    expect(h.failurePolicy).toBe(name === 'references.validate.credinject.dev' ? 'Ignore' : 'Fail');
  });

  it('references.validate sends unannotated Pods and workloads that reference Secrets by hand', () => {
    const h = hook(validating.webhooks, 'references.validate.credinject.dev');
    expect(h.rules?.flatMap((r) => r.resources)).toEqual(['pods', ...workloadKinds, 'jobs', 'cronjobs']);
    expect(h.namespaceSelector).toEqual({ matchExpressions: [notSystem] });
    const [notAnnotated, references] = h.matchConditions ?? [];
    expect(notAnnotated?.expression).toBe(`!((${onObject}) || (${onTemplate}) || (${onJobTemplate}))`);
    for (const field of ['secretKeyRef', 'secretRef', 'v.secret', 'p.secret', 'imagePullSecrets']) expect(references?.expression).toContain(field);
    for (const spec of ['object.spec.containers', 'object.spec.template.spec.initContainers', 'object.spec.jobTemplate.spec.template.spec.volumes']) {
      expect(references?.expression).toContain(`has(${spec})`);
    }
  });

  const notSystem = { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', NAMESPACE] };
  const injectionLabel = (operator: 'In' | 'NotIn') => ({ key: 'credinject.dev/injection', operator, values: ['enabled'] });
  it.each([
    ['pods.mutate.credinject.dev', [notSystem, injectionLabel('NotIn')]],
    ['namespace-pods.mutate.credinject.dev', [notSystem, injectionLabel('In')]],
    ['workloads.mutate.credinject.dev', [notSystem]],
    ['cronjobs.mutate.credinject.dev', [notSystem]],
    ['workloads.validate.credinject.dev', [notSystem]],
    ['namespace-pods.validate.credinject.dev', [notSystem, injectionLabel('In')]],
  ])('%s: never sees kube-system or its own namespace, and splits Pods by the injection label', (name, matchExpressions) => {
    expect(allWebhooks.find((h) => h.name === name)?.namespaceSelector).toEqual({ matchExpressions });
  });

  it('sends every Pod of a namespace labelled for injection to one mutating webhook, and the rest only when annotated', () => {
    const h = hook(mutating.webhooks, 'namespace-pods.mutate.credinject.dev');
    expect(h.rules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }]);
    expect(h.matchConditions ?? []).toEqual([]);
    const validatingHook = hook(validating.webhooks, 'namespace-pods.validate.credinject.dev');
    expect(validatingHook.matchConditions).toEqual([{ name: 'not-annotated', expression: `!(${onObject})` }]);
  });

  // Cluster credentials live in the release namespace and are validated like any other. Failing
  // closed there cannot wedge the server: the objectSelector only matches labelled credentials, and
  // the server's own TLS Secret carries no credinject.dev/type label.
  it('secrets.validate: never sees kube-system, but sees its own namespace, where cluster credentials live', () => {
    expect(hook(validating.webhooks, 'secrets.validate.credinject.dev').namespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
    });
  });

  it.each([
    ['pods.mutate.credinject.dev', '/mutate'],
    ['workloads.mutate.credinject.dev', '/mutate'],
    ['cronjobs.mutate.credinject.dev', '/mutate'],
    ['secrets.validate.credinject.dev', '/validate'],
    ['workloads.validate.credinject.dev', '/validate'],
    ['namespace-pods.mutate.credinject.dev', '/mutate'],
    ['namespace-pods.validate.credinject.dev', '/validate'],
  ])('%s is served by the Service at %s', (name, path) => {
    expect(allWebhooks.find((h) => h.name === name)?.clientConfig).toEqual({
      service: { name: 'credinject', namespace: NAMESPACE, path, port: 443 },
    });
  });

  it('mutating webhooks are reinvoked if needed', () => {
    for (const h of mutating.webhooks ?? []) expect(h.reinvocationPolicy, h.name).toBe('IfNeeded');
  });

  it('pods.mutate sends only pod CREATEs that carry the inject annotation', () => {
    const h = hook(mutating.webhooks, 'pods.mutate.credinject.dev');
    expect(h.rules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' },
    ]);
    expect(h.matchConditions).toEqual([{ name: 'credinject-request', expression: onObject }]);
  });

  it('workloads.mutate sends workload CREATE/UPDATEs annotated on the object or its pod template', () => {
    const h = hook(mutating.webhooks, 'workloads.mutate.credinject.dev');
    expect(h.rules).toEqual([
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: workloadKinds, scope: 'Namespaced' },
      { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs'], scope: 'Namespaced' },
    ]);
    expect(h.matchConditions).toEqual([{ name: 'credinject-request', expression: `(${onObject}) || (${onTemplate})` }]);
  });

  it('cronjobs.mutate sends CronJob CREATE/UPDATEs annotated on the object or its job pod template', () => {
    const h = hook(mutating.webhooks, 'cronjobs.mutate.credinject.dev');
    expect(h.rules).toEqual([
      { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['cronjobs'], scope: 'Namespaced' },
    ]);
    expect(h.matchConditions).toEqual([{ name: 'credinject-request', expression: `(${onObject}) || (${onJobTemplate})` }]);
  });

  it('secrets.validate sees every write and delete of a labelled credential, without CEL', () => {
    const h = hook(validating.webhooks, 'secrets.validate.credinject.dev');
    expect(h.rules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['secrets'], scope: 'Namespaced' },
    ]);
    expect(h.objectSelector).toEqual({ matchExpressions: [{ key: 'credinject.dev/type', operator: 'Exists' }] });
    // `object` is null on DELETE: a condition on it would fail every deletion.
    expect(h.matchConditions).toBeUndefined();
  });

  it('workloads.validate sends pods, workloads and CronJobs annotated wherever their kind keeps it', () => {
    const h = hook(validating.webhooks, 'workloads.validate.credinject.dev');
    expect(h.rules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'], scope: 'Namespaced' },
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: workloadKinds, scope: 'Namespaced' },
      { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'], scope: 'Namespaced' },
    ]);
    expect(h.matchConditions).toEqual([
      { name: 'credinject-request', expression: `(${onObject}) || (${onTemplate}) || (${onJobTemplate})` },
    ]);
  });

  // The CLI injects whatever the engine takes for a request; the webhooks must be called for exactly that.
  it.each(
    // Conditions on annotations (references.validate also tests the spec's Secret fields: not a request).
    allWebhooks.flatMap((h) => (h.matchConditions ?? []).filter((c) => c.expression.includes('annotations')).map((c) => [h.name, c.expression] as const)),
  )('%s is called for every annotation the engine takes as a request, render alone included', (_name, expression) => {
    const tested = new Set([...expression.matchAll(/'([^']+)' in /g)].map((m) => m[1]));
    expect(tested).toEqual(new Set(requestKeys));
  });

  // Selecting through a missing field is a CEL error, and an error under failurePolicy Fail rejects
  // the request: every field a condition reads must be guarded by has() on it and on each parent.
  it.each(
    // Conditions on annotations (references.validate also tests the spec's Secret fields: not a request).
    allWebhooks.flatMap((h) => (h.matchConditions ?? []).filter((c) => c.expression.includes('annotations')).map((c) => [h.name, c.expression] as const)),
  )('%s guards every field it reads with has()', (_name, expression) => {
    // Fields, not the methods called on them (`.exists(`, `.size(`).
    const paths = expression.match(/\bobject(?:\.[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_(]))+/g) ?? [];
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const parts = path.split('.');
      for (let i = 2; i <= parts.length; i++) {
        expect(expression, `has(${parts.slice(0, i).join('.')})`).toContain(`has(${parts.slice(0, i).join('.')})`);
      }
    }
  });
});

describe('the guard (ValidatingAdmissionPolicy)', () => {
  const { policy, binding } = guardPolicy(objects);
  const podsMutate = () => hook(mutating.webhooks, 'pods.mutate.credinject.dev');

  it('judges Pod CREATEs with the annotation pods.mutate is called for, in every namespace the webhooks see', () => {
    expect(policy.spec?.matchConstraints?.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }]);
    expect(policy.spec?.matchConditions?.map((c) => c.expression)).toEqual(podsMutate().matchConditions?.map((c) => c.expression));
    // Annotated Pods of namespaces labelled for injection go to namespace-pods.mutate: judged too.
    expect(binding.spec?.matchResources?.namespaceSelector).toEqual(hook(validating.webhooks, 'workloads.validate.credinject.dev').namespaceSelector);
  });

  it('denies a Pod that is not credinject.dev/status=injected, saying the injector did not run and where to look', () => {
    expect(binding.spec?.policyName).toBe(policy.metadata?.name);
    expect(binding.spec?.validationActions).toEqual(['Deny']);
    const [validation] = policy.spec?.validations ?? [];
    expect(validation?.expression).toContain("object.metadata.annotations['credinject.dev/status'] == 'injected'");
    expect(validation?.messageExpression).toContain('credential injector did not run for Pod ');
    expect(validation?.messageExpression).toContain('kubectl get pods,endpoints -A -l app.kubernetes.io/name=credinject');
  });
});

describe('webhookConfigurationsForUrl', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const forUrl = webhookConfigurationsForUrl({ url: 'https://127.0.0.1:34567/', caPem: pem });

  it('points every webhook at <url><path> with the CA, and nothing else changes', () => {
    const hooks = [...(forUrl.mutating.webhooks ?? []), ...(forUrl.validating.webhooks ?? [])];
    expect(hooks.map((h) => [h.name, h.clientConfig])).toEqual(
      allWebhooks.map((h) => [
        h.name,
        { url: `https://127.0.0.1:34567${h.clientConfig.service?.path}`, caBundle: Buffer.from(pem).toString('base64') },
      ]),
    );
    const withoutClientConfig = (hs: typeof hooks) => hs.map(({ clientConfig: _c, ...rest }) => rest);
    expect(withoutClientConfig(hooks)).toEqual(withoutClientConfig(allWebhooks));
  });

  it('leaves the shipped configurations untouched', () => {
    expect(webhookConfigurations(objects)).toEqual({ mutating, validating });
    expect(mutating.webhooks?.[0]?.clientConfig.service).toBeDefined();
  });
});

describe('server Deployment', () => {
  const deployment = find<V1Deployment>('Deployment', 'credinject');
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];

  it('runs two replicas spread over nodes', () => {
    expect(deployment.spec?.replicas).toBe(2);
    expect(pod?.topologySpreadConstraints).toMatchObject([
      { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1 },
    ]);
    // A replica that is not ready (crash-looping, syncing) can always be evicted: no blocked drain.
    expect(find('PodDisruptionBudget', 'credinject')).toMatchObject({ spec: { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
  });

  it('runs non-root with a read-only root filesystem and no capabilities', () => {
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(container?.resources?.requests).toBeDefined();
    expect(container?.resources?.limits).toBeDefined();
  });

  it('serves https on 8443 and health on the metrics port', () => {
    expect(container?.ports).toEqual([
      { name: 'https', containerPort: 8443, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(container?.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(container?.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(container?.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    const service = find<V1Service>('Service', 'credinject');
    expect(service.spec?.ports).toEqual([
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
  });

  it('starts the server in self-signed mode with the names of its Secret and configurations', () => {
    expect(container?.image).toBe('ghcr.io/credinject/credinject:0.1.0');
    expect(container?.args).toEqual([
      'serve',
      '--port', '8443',
      '--metrics-port', '9090',
      '--log-level', 'info',
      '--agent-image', 'ghcr.io/credinject/credinject:0.1.0',
      '--agent-image-pull-policy', 'IfNotPresent',
      '--sidecar-mode', 'native',
      '--agent-cpu-request', '10m',
      '--agent-memory-request', '32Mi',
      '--agent-memory-limit', '64Mi',
      '--agent-min-cpu', '1m',
      '--agent-max-cpu', '500m',
      '--agent-min-memory', '16Mi',
      '--agent-max-memory', '512Mi',
      '--agent-run-as-user', '65532',
      '--self-signed',
      '--tls-secret-name', 'credinject-tls',
      '--service-name', 'credinject',
      '--mutating-webhook-config', 'credinject',
      '--validating-webhook-config', 'credinject',
      '--expiry-warning', '7d',
    ]);
  });
});

describe('RBAC', () => {
  it('reads cluster-wide, and only reads', () => {
    const role = find<V1ClusterRole>('ClusterRole', 'credinject');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets', 'pods', 'namespaces', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: workloadKinds, verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('writes Events only: create, and get and patch to count repeats', () => {
    expect(find<V1ClusterRole>('ClusterRole', 'credinject-events').rules).toEqual([
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'get', 'patch'] },
    ]);
  });

  it('patches only its own two webhook configurations', () => {
    const role = find<V1ClusterRole>('ClusterRole', 'credinject-webhook-ca');
    expect(role.rules).toEqual([
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], resourceNames: ['credinject'], verbs: ['get', 'patch'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], resourceNames: ['credinject'], verbs: ['get', 'patch'] },
    ]);
  });

  it('writes no Secret outside its namespace unless mirroring is enabled (off by default)', () => {
    expect(objects.filter((o) => o.metadata?.name === 'credinject-mirror')).toEqual([]);
    expect(find<V1Deployment>('Deployment', 'credinject').spec?.template.spec?.containers[0]?.args).not.toContain('--mirror-cluster-credentials');
  });

  it('writes in its namespace only its Lease and its TLS Secret', () => {
    expect(find<V1Role>('Role', 'credinject').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
    expect(find<V1Role>('Role', 'credinject-tls').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['credinject-tls'], verbs: ['get', 'update'] },
    ]);
  });

  it('grants no wildcard anywhere', () => {
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole') as V1Role[];
    for (const rule of roles.flatMap((r) => r.rules ?? [])) {
      expect([...(rule.verbs ?? []), ...(rule.resources ?? []), ...(rule.apiGroups ?? [])]).not.toContain('*');
    }
  });
});
