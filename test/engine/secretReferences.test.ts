import type { V1PodSpec } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workloadKinds } from '../../src/contract/workloadKinds.js';
import { objectUsage } from '../../src/engine/objectUsage.js';
import { referencedSecretNames, secretReferences } from '../../src/engine/secretReferences.js';

/** A pod spec that reaches a Secret through every field there is, one Secret per field. */
const everyField: V1PodSpec = {
  imagePullSecrets: [{ name: 'pull' }],
  initContainers: [{ name: 'init', image: 'i', envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 'init-env-from' } }] }],
  containers: [
    {
      name: 'app',
      image: 'a',
      env: [
        { name: 'PLAIN', value: 'x' },
        { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'env-key', key: 'token' } } },
      ],
    },
  ],
  ephemeralContainers: [{ name: 'debug', image: 'd', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'ephemeral-key', key: 't' } } }] }],
  volumes: [
    { name: 'empty', emptyDir: {} },
    { name: 'files', secret: { secretName: 'volume' } },
    {
      name: 'bundle',
      projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'cm' } }, { secret: { name: 'projected' } }] },
    },
  ],
};

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: everyField };

describe('direct Secret references of a pod spec', () => {
  it('finds every field, with the path Kubernetes names it by', () => {
    expect(secretReferences(pod, 'Pod')).toEqual([
      { name: 'env-key', via: 'env', path: 'spec.containers[0].env[2].valueFrom.secretKeyRef' },
      { name: 'init-env-from', via: 'envFrom', path: 'spec.initContainers[0].envFrom[1].secretRef' },
      { name: 'ephemeral-key', via: 'env', path: 'spec.ephemeralContainers[0].env[0].valueFrom.secretKeyRef' },
      { name: 'volume', via: 'volume', path: 'spec.volumes[1].secret' },
      { name: 'projected', via: 'projected', path: 'spec.volumes[2].projected.sources[2].secret' },
      { name: 'pull', via: 'imagePullSecrets', path: 'spec.imagePullSecrets[0]' },
    ]);
  });

  it.each([
    ['Deployment', 'spec.template.spec', (spec: V1PodSpec) => ({ spec: { template: { spec } } })],
    ['StatefulSet', 'spec.template.spec', (spec: V1PodSpec) => ({ spec: { template: { spec } } })],
    ['DaemonSet', 'spec.template.spec', (spec: V1PodSpec) => ({ spec: { template: { spec } } })],
    ['ReplicaSet', 'spec.template.spec', (spec: V1PodSpec) => ({ spec: { template: { spec } } })],
    ['Job', 'spec.template.spec', (spec: V1PodSpec) => ({ spec: { template: { spec } } })],
    ['CronJob', 'spec.jobTemplate.spec.template.spec', (spec: V1PodSpec) => ({ spec: { jobTemplate: { spec: { template: { spec } } } } })],
  ] as const)('finds them in the pod template of a %s, under %s', (kind, prefix, wrap) => {
    const references = secretReferences(wrap(everyField), kind);
    expect(references.map((r) => r.name)).toEqual(['env-key', 'init-env-from', 'ephemeral-key', 'volume', 'projected', 'pull']);
    expect(references.every((r) => r.path.startsWith(`${prefix}.`))).toBe(true);
    expect(references[0]!.path).toBe(`${prefix}.containers[0].env[2].valueFrom.secretKeyRef`);
  });

  it('names each Secret once however often it is referenced', () => {
    const spec: V1PodSpec = {
      imagePullSecrets: [{ name: 'same' }],
      containers: [{ name: 'a', image: 'a', envFrom: [{ secretRef: { name: 'same' } }] }, { name: 'b', image: 'b', envFrom: [{ secretRef: { name: 'same' } }] }],
      volumes: [{ name: 'v', secret: { secretName: 'same' } }],
    };
    expect(referencedSecretNames({ spec }, 'Pod')).toEqual(['same']);
    expect(secretReferences({ spec }, 'Pod')).toHaveLength(4);
  });

  it('does not look at the pod template of a Pod, nor at the spec of a workload', () => {
    const confused = { spec: { ...everyField, template: { spec: everyField } } };
    expect(referencedSecretNames(confused, 'Pod')).toHaveLength(6);
    expect(referencedSecretNames({ spec: everyField }, 'Deployment')).toEqual([]);
  });

  it.each([
    ['no object', undefined],
    ['null', null],
    ['a string', 'spec'],
    ['no spec', { metadata: {} }],
    ['a spec that is an array', { spec: [everyField] }],
    ['lists that are objects', { spec: { containers: { 0: { envFrom: [{ secretRef: { name: 'x' } }] } }, volumes: { secret: { secretName: 'x' } } } }],
    ['entries that are null, numbers and arrays', { spec: { containers: [null, 3, [{ envFrom: [] }]], volumes: [null, 'x'], imagePullSecrets: [null, 7, ['x']] } }],
    ['env entries of the wrong shape', { spec: { containers: [{ env: [null, { valueFrom: null }, { valueFrom: { secretKeyRef: 'x' } }, { valueFrom: [] }] }] } }],
    ['names that are not strings', { spec: { imagePullSecrets: [{ name: 1 }, { name: {} }, { name: ['x'] }], volumes: [{ secret: { secretName: true } }], containers: [{ envFrom: [{ secretRef: { name: null } }] }] } }],
    ['empty names', { spec: { imagePullSecrets: [{ name: '' }], volumes: [{ secret: { secretName: '' } }, { secret: {} }] } }],
    ['a name longer than any Secret name', { spec: { imagePullSecrets: [{ name: 'x'.repeat(254) }] } }],
    ['projected sources of the wrong shape', { spec: { volumes: [{ projected: null }, { projected: { sources: 'x' } }, { projected: { sources: [null, { secret: 'x' }, { secret: { name: 5 } }] } }] } }],
  ])('finds nothing, and does not throw, in %s', (_label, object) => {
    expect(secretReferences(object, 'Pod')).toEqual([]);
    for (const kind of workloadKinds) expect(referencedSecretNames({ spec: { template: object, jobTemplate: { spec: { template: object } } } }, kind)).toEqual([]);
  });

  it('keeps hostile names as plain strings: __proto__ and constructor are Secret names like any other', () => {
    const spec = { imagePullSecrets: [{ name: '__proto__' }, { name: 'constructor' }], containers: [{ name: 'a', envFrom: [{ secretRef: { name: '__proto__' } }] }] };
    expect(referencedSecretNames({ spec }, 'Pod')).toEqual(['__proto__', 'constructor']);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (spec) => {
        for (const kind of ['Pod', ...workloadKinds] as const) {
          const names = referencedSecretNames({ spec, template: spec }, kind);
          expect(names.every((name) => typeof name === 'string' && name !== '')).toBe(true);
        }
      }),
    );
  });
});

describe('what an object uses, as deletion protection counts it', () => {
  it('splits annotation requests from references by hand', () => {
    const annotated = { ...pod, metadata: { name: 'p', annotations: { 'credinject.dev/inject': 'aws', 'credinject.dev/render': 'kube:kubeconfig' } } };
    expect(objectUsage(annotated, 'Pod')).toEqual({
      credentials: ['aws', 'kube'],
      direct: ['env-key', 'init-env-from', 'ephemeral-key', 'volume', 'projected', 'pull'],
    });
  });

  it('counts a Secret the annotation asks for once, not again for the references injection added', () => {
    const injected = {
      metadata: { annotations: { 'credinject.dev/inject': 'aws', 'credinject.dev/status': 'injected' } },
      spec: { containers: [{ name: 'app', env: [{ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws', key: 'access_key_id' } } }] }] },
    };
    expect(objectUsage(injected, 'Pod')).toEqual({ credentials: ['aws'], direct: [] });
  });

  it('reads a workload annotation, its template annotation and its template spec', () => {
    const deployment = {
      metadata: { annotations: { 'credinject.dev/inject': 'aws' } },
      spec: { template: { metadata: { annotations: { 'credinject.dev/inject': 'hf' } }, spec: { imagePullSecrets: [{ name: 'registry' }, { name: 'aws' }] } } },
    };
    expect(objectUsage(deployment, 'Deployment')).toEqual({ credentials: ['aws'], direct: ['registry'] });
  });
});
