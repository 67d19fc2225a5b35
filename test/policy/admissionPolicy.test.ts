import { describe, expect, it } from 'vitest';
import type { AdmissionRequest } from '../../src/admission/review.js';
import { namespacePolicyDenial } from '../../src/policy/admissionPolicy.js';
import { createNamespacePolicyStore, namespaceEntry, namespaceResourceFor } from '../../src/policy/namespacePolicyInformer.js';
import { createServiceAccountStore } from '../../src/view/serviceAccountStore.js';
import { fixtureView, requestOf } from '../admission/reviews.js';

const policies = createNamespacePolicyStore();
const resource = namespaceResourceFor(async () => ({ apiVersion: 'v1', kind: 'List', metadata: {}, items: [] }), policies);
resource.upsert(resource.project({ metadata: { name: 'ml', annotations: { 'credinject.dev/allowed-types': 'huggingface' } } }));
const serviceAccounts = createServiceAccountStore();
serviceAccounts.set('ml', 'default', { 'credinject.dev/inject': 'aws-s3' });
const store = { ...fixtureView(), serviceAccounts };

describe('the Namespace informer', () => {
  it('keeps a Namespace name and parsed policy, nothing of its other labels or annotations', () => {
    expect(
      namespaceEntry({ metadata: { name: 'ml', resourceVersion: '9', labels: { team: 'ml' }, annotations: { 'credinject.dev/require-injection': 'true', note: 'x' } } }),
    ).toEqual({ metadata: { name: 'ml', resourceVersion: '9' }, policy: { requireInjection: true } });
    expect(namespaceEntry({ metadata: { name: 'plain', annotations: { note: 'x' } } })).toEqual({ metadata: { name: 'plain' } });
  });

  it('forgets a policy when its annotations go or the Namespace is deleted', () => {
    const store = createNamespacePolicyStore();
    const namespaces = namespaceResourceFor(resource.listPage, store);
    namespaces.upsert(namespaces.project({ metadata: { name: 'a', annotations: { 'credinject.dev/require-injection': 'true' } } }));
    expect(store.size()).toBe(1);
    namespaces.upsert(namespaces.project({ metadata: { name: 'a' } }));
    expect(store.policyOf('a')).toBeUndefined();
    namespaces.upsert(namespaces.project({ metadata: { name: 'b', annotations: { 'credinject.dev/require-injection': 'true' } } }));
    namespaces.remove(namespaces.project({ metadata: { name: 'b' } }));
    expect(store.size()).toBe(0);
  });
});

describe('namespace policy at the validating webhook', () => {
  it('judges a Pod CREATE with what its annotations and its ServiceAccount ask for', () => {
    expect(namespacePolicyDenial(requestOf('pod-create'), store, policies)?.message).toContain('credential "aws-s3" has type aws');
    expect(namespacePolicyDenial(requestOf('pod-create-no-annotation'), store, policies)?.message).toContain('credential "aws-s3" has type aws');
  });

  it('judges workloads at CREATE', () => {
    expect(namespacePolicyDenial(requestOf('deployment-create'), store, policies)?.reason).toBe('TypeNotAllowed');
  });

  it.each<[string, Partial<AdmissionRequest>]>([
    ['a Pod UPDATE', { operation: 'UPDATE', oldObject: requestOf('pod-create').object }],
    ['a namespace without a policy', { namespace: 'other' }],
    ['another kind', { kind: { group: '', version: 'v1', kind: 'ConfigMap' } }],
  ])('leaves %s alone', (_label, changes) => {
    expect(namespacePolicyDenial(requestOf('pod-create', changes), store, policies)).toBeUndefined();
  });
});
