import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { checkReferences } from '../../src/engine/checkReferences.js';
import { injectObject } from '../../src/engine/injectObject.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { fieldPath } from '../../src/engine/podShape.js';
import { exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');
type Json = Record<string, unknown>;

function pod(annotations: unknown, spec: unknown = { containers: [{ name: 'app', image: 'busybox' }] }): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec };
}

const asks = { 'credinject.dev/inject': 'hf-token' };
const container = (fields: Json): Json => ({ name: 'app', image: 'busybox', ...fields });

/** Shapes a YAML slip or a forged review produces, and the field each denial must name. */
const hostile: [string, Json, string][] = [
  ['inject: 5', pod({ 'credinject.dev/inject': 5 }), 'metadata.annotations["credinject.dev/inject"] must be a string'],
  ['inject: true', pod({ 'credinject.dev/inject': true }), 'metadata.annotations["credinject.dev/inject"] must be a string'],
  ['inject as a list', pod({ 'credinject.dev/inject': ['hf-token'] }), 'metadata.annotations["credinject.dev/inject"] must be a string'],
  ['a mount-path override as a number', pod({ ...asks, 'mount-path.credinject.dev/hf-token': 1 }), 'metadata.annotations["mount-path.credinject.dev/hf-token"] must be a string'],
  ['annotations as a string', pod('credinject.dev/inject=hf-token'), 'metadata.annotations must be a map of keys to values'],
  ['metadata as a list', { apiVersion: 'v1', kind: 'Pod', metadata: [], spec: {} }, 'metadata must be an object'],
  ['env: "oops"', pod(asks, { containers: [container({ env: 'oops' })] }), 'spec.containers[0].env must be a list'],
  ['containers as an object', pod(asks, { containers: { app: { image: 'busybox' } } }), 'spec.containers must be a list'],
  ['a null env entry', pod(asks, { containers: [container({ env: [null] })] }), 'spec.containers[0].env[0] must be an object'],
  ['volumeMounts as a string', pod(asks, { containers: [container({}), container({ name: 'b', volumeMounts: '/data' })] }), 'spec.containers[1].volumeMounts must be a list'],
  ['a mount without its path', pod(asks, { containers: [container({ volumeMounts: [{ name: 'v' }] })] }), 'spec.containers[0].volumeMounts[0].mountPath must be a string'],
  ['a null container', pod(asks, { containers: [null] }), 'spec.containers[0] must be an object'],
  ['initContainers as a string', pod(asks, { containers: [], initContainers: 'init' }), 'spec.initContainers must be a list'],
  ['volumes as an object', pod(asks, { containers: [container({})], volumes: { data: {} } }), 'spec.volumes must be a list'],
  ['a string fsGroup', pod(asks, { containers: [container({})], securityContext: { fsGroup: '2000' } }), 'spec.securityContext.fsGroup must be a number'],
  ['spec as a string', pod(asks, 'containers'), 'spec must be an object'],
  [
    'a Deployment whose template containers are an object',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: asks }, spec: { template: { spec: { containers: {} } } } },
    'spec.template.spec.containers must be a list',
  ],
  [
    'a Deployment whose own inject annotation is a number',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { 'credinject.dev/inject': 7 } }, spec: { template: { spec: { containers: [] } } } },
    'metadata.annotations["credinject.dev/inject"] must be a string',
  ],
  [
    'a CronJob whose template annotations are a list',
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { metadata: { annotations: [] }, spec: {} } } } } },
    'spec.jobTemplate.spec.template.metadata.annotations must be a map of keys to values',
  ],
];

describe('objects of the wrong shape', () => {
  it.each(hostile)('%s is denied at the mutating webhook, naming the field', (_name, object, field) => {
    const decision = planAdmission({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);
    expect(decision.denial?.reason).toBe('InvalidObject');
    expect(decision.denial?.message).toContain(field);
    expect(decision.patch).toEqual([]);
  });

  it.each(hostile)('%s is denied the same way by the validating webhook and the CLI', (_name, object) => {
    const decision = planAdmission({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);
    expect(checkReferences({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions)).toEqual(decision.denial);
    const offline = injectObject(object, 'default', credentials, defaultInjectionOptions);
    expect(offline.denial).toEqual(decision.denial);
    expect(offline.object).toBe(object);
  });

  it('passes a malformed spec through when the object asks for nothing: it is not ours to judge', () => {
    const object = pod({ team: 'ml' }, { containers: { app: {} } });
    expect(planAdmission({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions)).toEqual({ patch: [], warnings: [] });
    const offline = injectObject(object, 'default', credentials, defaultInjectionOptions);
    expect(offline.denial).toBeUndefined();
    expect(offline.object).toBe(object);
  });

  it('reads YAML empty values (null) as absent, as the API server does', () => {
    const object = pod(asks, { containers: [container({ env: null, volumeMounts: null })], volumes: null, securityContext: { fsGroup: null } });
    const decision = planAdmission({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    expect(decision.patch.length).toBeGreaterThan(0);
  });

  it('leaves other annotations alone whatever their values: the engine does not read them', () => {
    const object = pod({ ...asks, 'example.com/replicas': 3 });
    expect(planAdmission({ object, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions).denial).toBeUndefined();
  });

  it('names at most five fields in one denial', () => {
    const containers = Array.from({ length: 8 }, (_, index) => container({ name: `c${index}`, env: 'oops' }));
    const decision = planAdmission({ object: pod(asks, { containers }), namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);
    expect(decision.denial?.message.split('; ')).toHaveLength(5);
  });
});

describe('fieldPath', () => {
  it.each([
    [['spec', 'containers', 1, 'env'], 'spec.containers[1].env'],
    [['metadata', 'annotations', 'credinject.dev/inject'], 'metadata.annotations["credinject.dev/inject"]'],
    [['metadata', 'annotations', 'a"b'], 'metadata.annotations["a\\"b"]'],
  ])('writes %j as %s', (path, text) => {
    expect(fieldPath(path)).toBe(text);
  });
});
