import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/view/credentialStore.js';
import { startResilientInformer } from '../../src/kube/resilientInformer.js';
import { watchedResources } from '../../src/view/watchedResources.js';
import { createServiceAccountStore } from '../../src/view/serviceAccountStore.js';
import { createUsageIndex } from '../../src/view/usageIndex.js';
import { eventually, startFakeApiServer } from '../kube/fakeApiServer.js';

const pod = (name: string, inject?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ml', ...(inject ? { annotations: { 'credinject.dev/inject': inject } } : {}) },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake API server for `path` and the usage resource of that plural, not started yet. */
async function usageWorld(path: string, plural: string) {
  const api = await startFakeApiServer(path);
  cleanups.push(() => api.close());
  const usage = createUsageIndex();
  const kubeApi = api.api();
  const { users } = watchedResources(kubeApi, { credentials: createCredentialStore(), usage, serviceAccounts: createServiceAccountStore() });
  const resource = users.find((r) => r.name === plural)!;
  const start = () => {
    const informer = startResilientInformer(kubeApi, resource, { logger: pino({ level: 'silent' }) });
    cleanups.push(() => informer.stop());
    return informer;
  };
  return { api, usage, resource, start };
}

describe('usage informer (pods)', () => {
  it('indexes referencing pods from list and watch, and forgets them on change or delete', async () => {
    const { api, usage, start } = await usageWorld('/api/v1/pods', 'pods');
    api.put(pod('listed', 'aws-s3'));
    api.put(pod('plain'));
    const informer = start();

    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    expect(usage.usersOf('ml', 'aws-s3').users).toEqual(['Pod/listed']);
    expect(usage.sizes().users).toBe(1);

    api.put(pod('watched', 'aws-s3, hf-token'));
    await eventually(() => usage.usersOf('ml', 'hf-token').total === 1, 'the watched pod');
    api.put(pod('listed'));
    await eventually(() => usage.usersOf('ml', 'aws-s3').total === 1, 'the annotation removal');
    api.remove('ml', 'watched');
    await eventually(() => usage.sizes().users === 0, 'the deletion');
  });
});

describe('usage informer (workloads)', () => {
  it('finds the annotation in the pod template of listed workloads, which come without kind', async () => {
    const { api, usage, start } = await usageWorld('/apis/apps/v1/deployments', 'deployments');
    const template = { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3' } }, spec: { containers: [] } };
    api.put({ metadata: { name: 'web', namespace: 'ml' }, spec: { selector: {}, template } });
    const informer = start();
    await eventually(() => informer.synced(), 'sync');
    expect(usage.usersOf('ml', 'aws-s3').users).toEqual(['Deployment/web']);
  });

  it('indexes the Secrets a workload references by hand, and keeps no spec in its cache', async () => {
    const { api, usage, resource: deployments, start } = await usageWorld('/apis/apps/v1/deployments', 'deployments');
    const spec = { containers: [{ name: 'app', image: 'a', env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'hand-wired', key: 't' } } }] }] };
    const object = { metadata: { name: 'web', namespace: 'ml' }, spec: { selector: {}, template: { spec } } };
    api.put(object);
    expect(deployments.project(object)).toEqual({ metadata: { name: 'web', namespace: 'ml' }, credentials: [], direct: ['hand-wired'] });
    const informer = start();
    await eventually(() => informer.synced(), 'sync');
    expect(usage.usersOf('ml', 'hand-wired').users).toEqual(['Deployment/web (direct reference)']);
  });
});
