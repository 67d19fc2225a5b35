import { describe, expect, it } from 'vitest';
import { validate } from '../../src/admission/validate.js';
import { fixtureView, requestOf } from './reviews.js';

function viewWithUsers() {
  const view = fixtureView();
  view.usage.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: ['aws-s3'] });
  view.usage.set({ namespace: 'ml', kind: 'Pod', name: 'web-5d8f7c9b4-x2x9q', credentials: ['aws-s3', 'hf-token'] });
  return view;
}

describe('validate: credential Secrets', () => {
  it('allows a valid credential at CREATE', () => {
    expect(validate(requestOf('secret-create'), fixtureView()).denial).toBeUndefined();
  });

  it.each(['secret-create-invalid', 'secret-update-invalid'])('denies %s naming the missing key, no value', (name) => {
    const { denial } = validate(requestOf(name), fixtureView());
    expect(denial?.reason).toBe('InvalidCredential');
    expect(denial?.message).toContain('secret_access_key');
    expect(denial?.message).not.toContain('AKIAFIXTURE');
  });

  it('lets an UPDATE of an already invalid credential through with a warning when it adds no problem', () => {
    const request = requestOf('secret-update-invalid');
    request.oldObject = structuredClone(request.object);
    (request.object as any).metadata.labels['team'] = 'ml';
    const decision = validate(request, fixtureView());
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toEqual([expect.stringContaining('credential "aws-s3" is invalid')]);
  });

  it('denies an UPDATE that labels a Secret as a credential it does not satisfy', () => {
    const request = requestOf('secret-update-invalid');
    (request.oldObject as any).metadata.labels = {};
    expect(validate(request, fixtureView()).denial?.reason).toBe('InvalidCredential');
  });

  it('allows a Secret without the type label (not a credential)', () => {
    const request = requestOf('secret-create-invalid');
    delete (request.object as any).metadata.labels;
    expect(validate(request, fixtureView()).denial).toBeUndefined();
  });

  it('denies DELETE while the credential is used, naming users and count', () => {
    const { denial } = validate(requestOf('secret-delete'), viewWithUsers());
    expect(denial?.message).toContain('used by 2 objects in namespace "ml": Deployment/web, Pod/web-5d8f7c9b4-x2x9q');
  });

  it('allows DELETE when unused', () => {
    expect(validate(requestOf('secret-delete'), fixtureView()).denial).toBeUndefined();
  });

  it('allows DELETE with allow-delete "true" on the stored Secret', () => {
    const request = requestOf('secret-delete');
    (request.oldObject as any).metadata.annotations = { 'credinject.dev/allow-delete': 'true' };
    expect(validate(request, viewWithUsers()).denial).toBeUndefined();
  });

  it('allows DELETE by the namespace controller', () => {
    const request = requestOf('secret-delete', {
      userInfo: { username: 'system:serviceaccount:kube-system:namespace-controller', groups: [] },
    });
    expect(validate(request, viewWithUsers()).denial).toBeUndefined();
  });

  it('protects by name when the API server sends no oldObject', () => {
    expect(validate(requestOf('secret-delete', { oldObject: null }), viewWithUsers()).denial?.reason).toBe('CredentialInUse');
  });

  it('does not count users of the same name in another namespace', () => {
    expect(validate(requestOf('secret-delete', { namespace: 'other' }), viewWithUsers()).denial).toBeUndefined();
  });

  it('guards removing the type label like a deletion', () => {
    const request = requestOf('secret-update-invalid');
    delete (request.object as any).metadata.labels['credinject.dev/type'];
    expect(validate(request, viewWithUsers()).denial?.reason).toBe('CredentialInUse');
    expect(validate(request, fixtureView()).denial).toBeUndefined();
  });

  it('answers a dry run like the real request', () => {
    expect(validate(requestOf('secret-delete', { dryRun: true }), viewWithUsers())).toEqual(validate(requestOf('secret-delete'), viewWithUsers()));
  });
});

describe('validate: Pods and workloads', () => {
  it('denies a Pod referencing an unknown credential by name', () => {
    expect(validate(requestOf('pod-create-unknown-credential'), fixtureView()).denial?.message).toContain('"no-such-credential"');
  });

  it.each(['pod-create', 'deployment-create', 'statefulset-create', 'daemonset-create', 'replicaset-create', 'job-create', 'cronjob-create'])(
    'allows %s when every credential exists',
    (name) => {
      expect(validate(requestOf(name), fixtureView()).denial).toBeUndefined();
    },
  );

  it.each(['deployment-create', 'statefulset-create', 'daemonset-create', 'replicaset-create', 'job-create', 'cronjob-create'])(
    'denies %s in a namespace without the credential',
    (name) => {
      expect(validate(requestOf(name, { namespace: 'empty' }), fixtureView()).denial?.message).toContain('"aws-s3"');
    },
  );

  it('lets an UPDATE through whose references did not change (controllers must not be blocked)', () => {
    const request = requestOf('deployment-create', { namespace: 'empty', operation: 'UPDATE' });
    request.oldObject = structuredClone(request.object);
    expect(validate(request, fixtureView()).denial).toBeUndefined();
  });

  it('judges an UPDATE that adds a reference', () => {
    const request = requestOf('deployment-create', { operation: 'UPDATE' });
    request.oldObject = structuredClone(request.object);
    (request.object as any).metadata.annotations['credinject.dev/inject'] = 'aws-s3, ghost';
    expect(validate(request, fixtureView()).denial?.message).toContain('"ghost"');
  });

  it('ignores Pod UPDATEs and other kinds', () => {
    expect(validate(requestOf('pod-create-unknown-credential', { operation: 'UPDATE' }), fixtureView()).denial).toBeUndefined();
    const configMap = requestOf('pod-create-unknown-credential', { kind: { group: '', version: 'v1', kind: 'ConfigMap' } });
    expect(validate(configMap, fixtureView()).denial).toBeUndefined();
  });
});
