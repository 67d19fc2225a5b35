import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReview } from '../admission/reviews.js';
import { eventually, startListingApiServer } from '../kube/fakeApiServer.js';
import { startTestServer } from './testServer.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('server against a cluster (informers)', () => {
  it('becomes ready once every informer listed, then answers from the informer caches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credinject-cluster-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const kubeconfig = join(dir, 'kubeconfig');
    const api = await startListingApiServer(
      {
        '/api/v1/secrets': [
          {
            metadata: { name: 'aws-s3', namespace: 'ml', labels: { 'credinject.dev/type': 'aws' } },
            data: { access_key_id: b64('AKIA-CLUSTER'), secret_access_key: b64('s') },
          },
        ],
        '/apis/apps/v1/deployments': [
          { metadata: { name: 'web', namespace: 'ml' }, spec: { template: { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3' } } } } },
        ],
      },
      kubeconfig,
    );
    cleanups.push(() => api.close());
    const t = await startTestServer({ kubeconfig }, null);
    await eventually(() => t.server.ready(), 'readiness');
    await request(t.opsUrl).get('/readyz').expect(200);

    const mutated = await request(t.httpsUrl).post('/mutate').ca(t.ca).send(loadReview('pod-create')).expect(200);
    expect(mutated.body.response.patchType).toBe('JSONPatch');
    const deletion = await request(t.httpsUrl).post('/validate').ca(t.ca).send(loadReview('secret-delete')).expect(200);
    expect(deletion.body.response.status.message).toContain('Deployment/web');

    const metrics = await request(t.opsUrl).get('/metrics');
    for (const resource of ['secrets', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs']) {
      expect(metrics.text).toContain(`credinject_informer_synced{resource="${resource}"} 1`);
    }
  });
});
