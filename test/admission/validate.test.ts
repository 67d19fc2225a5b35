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

  it('warns when the Secret sets an env-prefix its type ignores', () => {
    const request = requestOf('secret-create');
    (request.object as any).metadata.annotations = { 'credinject.dev/env-prefix': 'PROD_' };
    const decision = validate(request, fixtureView());
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toEqual(['credential "aws-new": annotation credinject.dev/env-prefix is ignored, type aws takes no env prefix']);
  });

  it('denies an env-prefix that makes no env name, naming the annotation', () => {
    const request = requestOf('secret-create');
    const object = request.object as any;
    object.metadata.labels['credinject.dev/type'] = 'access-key';
    object.metadata.annotations = { 'credinject.dev/env-prefix': 'A=B' };
    object.data = { access_key_id: 'YQ==', secret_access_key: 'Yg==' };
    delete object.stringData;
    expect(validate(request, fixtureView()).denial?.message).toMatch(/^credential "aws-new" is invalid: annotation credinject.dev\/env-prefix must be a valid env var prefix/);
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

  it('denies DELETE of a credential with no known user while the usage view is not current', () => {
    const store = { ...fixtureView(), usageCurrent: () => false };
    expect(validate(requestOf('secret-delete'), store).denial?.reason).toBe('UsageViewRefreshing');
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

  it.each([
    ['null', null],
    ['{}', {}],
    ['with metadata null', { metadata: null }],
  ])('protects by name when oldObject is %s: its labels are unknown, all three read alike', (_name, oldObject) => {
    expect(validate(requestOf('secret-delete', { oldObject }), viewWithUsers()).denial?.reason).toBe('CredentialInUse');
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

describe('validate: cluster-scoped credentials', () => {
  /** secret-create made cluster-scoped with a selector, in `namespace`. */
  function clusterCreate(namespace: string, annotations: Record<string, string> = { 'credinject.dev/namespace-selector': 'team=ml' }) {
    const request = requestOf('secret-create', { namespace });
    const object = request.object as any;
    object.metadata.namespace = namespace;
    object.metadata.labels['credinject.dev/scope'] = 'cluster';
    object.metadata.annotations = annotations;
    return request;
  }
  const settings = { injectorNamespace: 'credinject-system', mirroring: true };

  it('allows one in the injector namespace without a word when mirroring is on', () => {
    expect(validate(clusterCreate('credinject-system'), fixtureView(), settings)).toEqual({ patch: [], warnings: [] });
  });

  it('warns that one elsewhere is an ordinary namespaced credential, naming the injector namespace', () => {
    const decision = validate(clusterCreate('ml'), fixtureView(), settings);
    expect(decision.denial).toBeUndefined();
    expect(decision.warnings).toEqual([
      'credential "aws-new": scope cluster counts only in namespace "credinject-system"; here it is namespaced, not mirrored',
    ]);
    expect(decision.warnings[0]!.length).toBeLessThanOrEqual(120);
  });

  it('warns that one in the injector namespace is not mirrored when mirroring is off', () => {
    const decision = validate(clusterCreate('credinject-system'), fixtureView(), { injectorNamespace: 'credinject-system' });
    expect(decision.warnings).toEqual([expect.stringContaining('mirroring is off')]);
  });

  it('says nothing when the injector namespace is unknown (static mode)', () => {
    expect(validate(clusterCreate('ml'), fixtureView()).warnings).toEqual([]);
  });

  it('denies one without a namespace selector wherever it is', () => {
    for (const namespace of ['credinject-system', 'ml']) {
      const { denial } = validate(clusterCreate(namespace, {}), fixtureView(), settings);
      expect(denial?.message).toContain('credinject.dev/namespace-selector');
    }
  });

  it('denies one whose selector does not parse, quoting the selector problem', () => {
    const { denial } = validate(clusterCreate('credinject-system', { 'credinject.dev/namespace-selector': 'team in ml' }), fixtureView(), settings);
    expect(denial?.reason).toBe('InvalidCredential');
    expect(denial?.message).toContain('is not a label selector');
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
