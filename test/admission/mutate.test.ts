import jsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { mutate } from '../../src/admission/mutate.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { createServiceAccountStore } from '../../src/view/serviceAccountStore.js';
import { fixtureView, requestOf } from './reviews.js';

const view = fixtureView();
const run = (name: string, changes = {}) => mutate(requestOf(name, changes), view, defaultInjectionOptions);

function patched(name: string): Record<string, any> {
  const request = requestOf(name);
  return jsonPatch.applyPatch(structuredClone(request.object), run(name).patch, true, false).newDocument as Record<string, any>;
}

describe('mutate', () => {
  it('injects a Pod at CREATE: env from the credential Secret, status annotation', () => {
    const pod = patched('pod-create');
    const env = pod.spec.containers[0].env as { name: string; valueFrom: { secretKeyRef: { name: string } } }[];
    expect(env.map((e) => e.name)).toContain('AWS_ACCESS_KEY_ID');
    expect(env.every((e) => e.valueFrom.secretKeyRef.name === 'aws-s3')).toBe(true);
    expect(pod.metadata.annotations['credinject.dev/status']).toBe('injected');
  });

  it('is idempotent: the injected Pod gets an empty patch (reinvocation)', () => {
    const object = patched('pod-create');
    expect(run('pod-create', { object }).patch).toEqual([]);
  });

  it('resolves in request.namespace, not in the object (controller pods have no namespace set)', () => {
    const request = requestOf('pod-create');
    delete (request.object as { metadata: { namespace?: string } }).metadata.namespace;
    expect(mutate(request, view, defaultInjectionOptions).patch.length).toBeGreaterThan(0);
    expect(run('pod-create', { namespace: 'nowhere' }).denial?.reason).toBe('CredentialNotFound');
  });

  it('denies a Pod asking for an unknown credential, naming it', () => {
    const { denial } = run('pod-create-unknown-credential');
    expect(denial?.message).toContain('"no-such-credential"');
  });

  it.each([
    ['deployment-create', '/spec/template/metadata/annotations'],
    ['statefulset-create', '/spec/template/metadata/annotations'],
    ['daemonset-create', '/spec/template/metadata/annotations'],
    ['replicaset-create', '/spec/template/metadata/annotations'],
    ['job-create', '/spec/template/metadata/annotations'],
    ['cronjob-create', '/spec/jobTemplate/spec/template/metadata/annotations'],
  ])('copies the workload annotation into the pod template of %s', (name, path) => {
    const decision = run(name);
    expect(decision.denial).toBeUndefined();
    expect(decision.patch).toContainEqual(expect.objectContaining({ path }));
  });

  it('denies a workload with an unknown credential at apply time', () => {
    const request = requestOf('deployment-create');
    (request.object as any).metadata.annotations['credinject.dev/inject'] = 'ghost';
    expect(mutate(request, view, defaultInjectionOptions).denial?.message).toContain('"ghost"');
  });

  it('gives a dry run exactly the answer of the real request', () => {
    expect(run('pod-create', { dryRun: true })).toEqual(run('pod-create'));
    expect(run('pod-create-unknown-credential', { dryRun: true })).toEqual(run('pod-create-unknown-credential'));
  });

  it.each([
    ['a Pod UPDATE', 'pod-create', { operation: 'UPDATE' }],
    ['a DELETE', 'pod-create', { operation: 'DELETE', object: null }],
    ['a kind it does not handle', 'pod-create', { kind: { group: '', version: 'v1', kind: 'ConfigMap' } }],
    ['a Deployment of another group', 'deployment-create', { kind: { group: 'example.com', version: 'v1', kind: 'Deployment' } }],
    ['a Pod without the annotation', 'pod-create-no-annotation', {}],
  ])('lets %s through untouched', (_label, name, changes) => {
    expect(run(name, changes)).toEqual({ patch: [], warnings: [] });
  });
});

describe('mutate: a ServiceAccount that asks for credentials', () => {
  const serviceAccounts = createServiceAccountStore();
  serviceAccounts.set('ml', 'default', { 'credinject.dev/inject': 'aws-s3' });
  serviceAccounts.set('ml', 'trainer', { 'credinject.dev/inject': 'hf-token' });
  const store = { ...fixtureView(), serviceAccounts };
  const podAs = (serviceAccountName: string | undefined, annotations?: Record<string, string>) => {
    const request = requestOf('pod-create-no-annotation');
    const object = request.object as Record<string, any>;
    if (serviceAccountName) object.spec.serviceAccountName = serviceAccountName;
    if (annotations) object.metadata.annotations = annotations;
    return request;
  };
  const injectedInto = (request: ReturnType<typeof podAs>) => {
    const decision = mutate(request, store, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    return jsonPatch.applyPatch(structuredClone(request.object), decision.patch, true, false).newDocument as Record<string, any>;
  };

  it('gives its credentials to a Pod without annotations that runs as it, and records the request on the Pod', () => {
    const pod = injectedInto(podAs('trainer'));
    expect(pod.metadata.annotations).toMatchObject({ 'credinject.dev/inject': 'hf-token', 'credinject.dev/status': 'injected', 'credinject.dev/injected': 'hf-token' });
    expect(pod.spec.containers[0].env.map((e: { name: string }) => e.name)).toContain('HF_TOKEN');
  });

  it('applies to the default ServiceAccount when the Pod names none', () => {
    expect(injectedInto(podAs(undefined)).metadata.annotations['credinject.dev/injected']).toBe('aws-s3');
  });

  it('lets the Pod own annotations win', () => {
    const pod = injectedInto(podAs('trainer', { 'credinject.dev/inject': 'aws-s3' }));
    expect(pod.metadata.annotations['credinject.dev/injected']).toBe('aws-s3');
  });

  it('is idempotent on reinvocation', () => {
    const pod = injectedInto(podAs('trainer'));
    const again = mutate({ ...podAs('trainer'), object: pod }, store, defaultInjectionOptions);
    expect(again.patch).toEqual([]);
  });

  it('leaves Pods of other ServiceAccounts and namespaces alone', () => {
    expect(mutate(podAs('nobody'), store, defaultInjectionOptions).patch).toEqual([]);
    expect(mutate({ ...podAs('trainer'), namespace: 'other' }, store, defaultInjectionOptions).patch).toEqual([]);
  });

  it('denies, naming the credential, when the ServiceAccount asks for one that does not exist', () => {
    serviceAccounts.set('ml', 'broken', { 'credinject.dev/inject': 'no-such-credential' });
    expect(mutate(podAs('broken'), store, defaultInjectionOptions).denial?.message).toContain('"no-such-credential"');
  });
});
