import { Agent } from 'node:http';
import { kubeApi } from '../../src/kube/kubeApi.js';
import { describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/view/credentialStore.js';
import { createServiceAccountStore } from '../../src/view/serviceAccountStore.js';
import { createUsageIndex } from '../../src/view/usageIndex.js';
import { watchedResources } from '../../src/view/watchedResources.js';

function world() {
  const serviceAccounts = createServiceAccountStore();
  const usage = createUsageIndex();
  // Never called: the test feeds the resource's projection and sink directly.
  const api = kubeApi({ server: 'https://127.0.0.1:1', prepare: async () => ({ agent: new Agent(), headers: {} }) });
  const resource = watchedResources(api, { credentials: createCredentialStore(), usage, serviceAccounts }).serviceAccounts;
  return { serviceAccounts, usage, resource };
}

const serviceAccount = (annotations: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'builder', namespace: 'ci', resourceVersion: '7', annotations },
  secrets: [{ name: 'builder-token' }],
});

describe('ServiceAccounts in the view', () => {
  it('keep only identity and request annotations', () => {
    const { resource } = world();
    expect(resource.project(serviceAccount({ 'credinject.dev/inject': 'registry', 'eks.amazonaws.com/role-arn': 'arn:x' }))).toEqual({
      metadata: { name: 'builder', namespace: 'ci', resourceVersion: '7' },
      request: { 'credinject.dev/inject': 'registry' },
    });
  });

  it('give their request to the admission store and count as a user of what they ask for', () => {
    const { serviceAccounts, usage, resource } = world();
    resource.upsert(resource.project(serviceAccount({ 'credinject.dev/inject': 'registry, aws' })));
    expect(serviceAccounts.requestOf('ci', 'builder')).toEqual({ 'credinject.dev/inject': 'registry, aws' });
    expect(usage.usersOf('ci', 'aws').users).toEqual(['ServiceAccount/builder']);

    resource.upsert(resource.project(serviceAccount({})));
    expect(serviceAccounts.requestOf('ci', 'builder')).toBeUndefined();
    expect(usage.usersOf('ci', 'aws').total).toBe(0);
    expect(serviceAccounts.size()).toBe(0);
  });

  it('count a revision for each change of a request, not for a relist of the same', () => {
    const { serviceAccounts, resource } = world();
    const asks = (inject: string) => resource.project(serviceAccount({ 'credinject.dev/inject': inject }));
    const start = serviceAccounts.revision();
    resource.upsert(asks('aws'));
    expect(serviceAccounts.revision()).toBe(start + 1);
    resource.upsert(asks('aws'));
    expect(serviceAccounts.revision()).toBe(start + 1);
    resource.upsert(asks('aws, registry'));
    expect(serviceAccounts.revision()).toBe(start + 2);
    resource.remove(asks('aws, registry'));
    expect(serviceAccounts.revision()).toBe(start + 3);
    resource.upsert(resource.project(serviceAccount({})));
    expect(serviceAccounts.revision()).toBe(start + 3);
  });

  it('are forgotten when deleted', () => {
    const { serviceAccounts, usage, resource } = world();
    const entry = resource.project(serviceAccount({ 'credinject.dev/inject': 'aws' }));
    resource.upsert(entry);
    resource.remove(entry);
    expect(serviceAccounts.requestOf('ci', 'builder')).toBeUndefined();
    expect(usage.sizes()).toEqual({ users: 0, credentials: 0 });
  });

  it('are named after workloads and before Pods in a denial', () => {
    const { usage, resource } = world();
    resource.upsert(resource.project(serviceAccount({ 'credinject.dev/inject': 'aws' })));
    usage.set({ namespace: 'ci', kind: 'Pod', name: 'a', credentials: ['aws'] });
    usage.set({ namespace: 'ci', kind: 'Job', name: 'build', credentials: ['aws'] });
    expect(usage.usersOf('ci', 'aws').users).toEqual(['Job/build', 'ServiceAccount/builder', 'Pod/a']);
  });
});
