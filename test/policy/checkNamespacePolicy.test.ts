import { describe, expect, it } from 'vitest';
import type { CredentialInfo } from '../../src/credentials/credentialInfo.js';
import { checkNamespacePolicy, type PolicyInput } from '../../src/policy/checkNamespacePolicy.js';
import { namespacePolicy } from '../../src/policy/namespacePolicy.js';

const credential = (name: string, type: string): CredentialInfo => ({
  name,
  namespace: 'ml',
  type,
  secretType: 'Opaque',
  keys: [],
  labels: { 'credinject.dev/type': type },
  annotations: {},
  problems: [],
});
const known = new Map([
  ['aws-s3', credential('aws-s3', 'aws')],
  ['hf', credential('hf', 'huggingface')],
  ['gcp-sa', credential('gcp-sa', 'gcp')],
]);
const credentials = { get: (namespace: string, name: string) => (namespace === 'ml' ? known.get(name) : undefined) };

const pod = (annotations: Record<string, string> = {}, spec: Record<string, unknown> = { containers: [{ name: 'app' }] }) => ({
  metadata: { name: 'p', annotations },
  spec,
});
const deployment = (annotations: Record<string, string>, spec: Record<string, unknown> = { containers: [{ name: 'app' }] }) => ({
  metadata: { name: 'web', annotations },
  spec: { template: { metadata: {}, spec } },
});
const check = (input: Partial<PolicyInput> & Pick<PolicyInput, 'object'>, annotations: Record<string, string>) =>
  checkNamespacePolicy({ namespace: 'ml', kind: 'Pod', ...input }, namespacePolicy(annotations), credentials);

describe('namespace policy annotations', () => {
  it.each([
    [{}, undefined],
    [{ 'credinject.dev/allowed-types': 'aws, huggingface' }, { allowedTypes: ['aws', 'huggingface'], allowedTypesText: 'aws, huggingface', requireInjection: false }],
    [{ 'credinject.dev/allowed-types': '' }, { allowedTypes: [], allowedTypesText: '', requireInjection: false }],
    [{ 'credinject.dev/require-injection': 'true' }, { requireInjection: true }],
    [{ 'credinject.dev/require-injection': ' true ' }, { requireInjection: true }],
    [{ 'credinject.dev/require-injection': 'yes' }, undefined],
    [{ 'credinject.dev/require-injection': 'false', other: 'x' }, undefined],
  ])('%j reads as %j', (annotations, policy) => {
    expect(namespacePolicy(annotations)).toEqual(policy);
  });
});

describe('allowed-types', () => {
  const policy = { 'credinject.dev/allowed-types': 'aws, huggingface' };

  it('lets allowed types through', () => {
    expect(check({ object: pod({ 'credinject.dev/inject': 'aws-s3, hf' }) }, policy)).toBeUndefined();
  });

  it('denies another type, naming the credential, its type, the namespace and the policy', () => {
    expect(check({ object: pod({ 'credinject.dev/inject': 'aws-s3, gcp-sa' }) }, policy)).toEqual({
      reason: 'TypeNotAllowed',
      message: 'credential "gcp-sa" has type gcp, which namespace "ml" does not allow (credinject.dev/allowed-types: "aws, huggingface")',
    });
  });

  it('judges what a Pod gets from its ServiceAccount, and a rendered credential', () => {
    expect(check({ object: pod(), inherited: { 'credinject.dev/inject': 'gcp-sa' } }, policy)?.reason).toBe('TypeNotAllowed');
    expect(check({ object: pod({ 'credinject.dev/render': 'gcp-sa:env-file' }) }, policy)?.reason).toBe('TypeNotAllowed');
  });

  it('judges a workload by its own and its template annotations', () => {
    expect(check({ kind: 'Deployment', object: deployment({ 'credinject.dev/inject': 'gcp-sa' }) }, policy)?.message).toContain('"gcp-sa"');
  });

  it('allows none with an empty list', () => {
    expect(check({ object: pod({ 'credinject.dev/inject': 'aws-s3' }) }, { 'credinject.dev/allowed-types': '' })?.reason).toBe('TypeNotAllowed');
  });

  it('leaves unknown credentials to the reference check (it names them as missing)', () => {
    expect(check({ object: pod({ 'credinject.dev/inject': 'nowhere' }) }, policy)).toBeUndefined();
  });

  it('on UPDATE judges only what is newly asked for, and nothing of an object being deleted', () => {
    const before = deployment({ 'credinject.dev/inject': 'gcp-sa' });
    expect(check({ kind: 'Deployment', object: deployment({ 'credinject.dev/inject': 'gcp-sa' }), oldObject: before }, policy)).toBeUndefined();
    expect(check({ kind: 'Deployment', object: deployment({ 'credinject.dev/inject': 'gcp-sa, hf' }), oldObject: before }, policy)).toBeUndefined();
    const hfOnly = deployment({ 'credinject.dev/inject': 'hf' });
    expect(check({ kind: 'Deployment', object: deployment({ 'credinject.dev/inject': 'hf, gcp-sa' }), oldObject: hfOnly }, policy)?.reason).toBe('TypeNotAllowed');
    const deleting = { ...deployment({ 'credinject.dev/inject': 'gcp-sa' }), metadata: { name: 'web', deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(check({ kind: 'Deployment', object: deleting }, policy)).toBeUndefined();
  });
});

describe('require-injection', () => {
  const policy = { 'credinject.dev/require-injection': 'true' };
  const byHand = { containers: [{ name: 'app', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } }] }] };

  it('denies a credential referenced by hand, naming the field path', () => {
    expect(check({ kind: 'Deployment', object: deployment({}, byHand) }, policy)).toEqual({
      reason: 'InjectionRequired',
      message:
        'namespace "ml" requires credentials through credinject.dev/inject (credinject.dev/require-injection: "true"): ' +
        'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef references credential "aws-s3" directly; ask for it with credinject.dev/inject instead',
    });
  });

  it.each([
    ['an imagePullSecret', { containers: [{ name: 'app' }], imagePullSecrets: [{ name: 'hf' }] }, 'spec.imagePullSecrets[0]'],
    ['a Secret volume', { containers: [{ name: 'app' }], volumes: [{ name: 'v', secret: { secretName: 'hf' } }] }, 'spec.volumes[0].secret'],
    ['envFrom in an init container', { containers: [], initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'hf' } }] }] }, 'spec.initContainers[0].envFrom[0].secretRef'],
  ])('names %s', (_label, spec, path) => {
    expect(check({ object: pod({}, spec) }, policy)?.message).toContain(`${path} references credential "hf" directly`);
  });

  it('allows Secrets that are not credentials, and credentials the object asks for (injection references them)', () => {
    const spec = { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'db-password' } }, { secretRef: { name: 'aws-s3' } }] }] };
    expect(check({ object: pod({ 'credinject.dev/inject': 'aws-s3' }, spec) }, policy)).toBeUndefined();
    expect(check({ object: pod({}, spec), inherited: { 'credinject.dev/inject': 'aws-s3' } }, policy)).toBeUndefined();
  });

  it('names five references and counts the rest', () => {
    const env = Array.from({ length: 7 }, (_, i) => ({ name: `E${i}`, valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }));
    const message = check({ object: pod({}, { containers: [{ name: 'app', env }] }) }, policy)?.message ?? '';
    expect(message).toContain('env[4]');
    expect(message).not.toContain('env[5]');
    expect(message).toMatch(/ and 2 more$/);
  });

  it('on UPDATE lets references the stored object had stay', () => {
    expect(check({ kind: 'Deployment', object: deployment({}, byHand), oldObject: deployment({}, byHand) }, policy)).toBeUndefined();
  });

  it('is off without the annotation', () => {
    expect(check({ kind: 'Deployment', object: deployment({}, byHand) }, {})).toBeUndefined();
  });
});
