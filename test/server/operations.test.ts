import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { KubeView } from '../../src/view/view.js';
import { fixtureView, loadReview } from '../admission/reviews.js';
import { startTestServer } from './testServer.js';

/** The fixture view, but with informers that have not synced until told, and a watch that can restart. */
function syncingView(): KubeView & { markSynced(): void; restartWatch(): void } {
  const view = fixtureView();
  let synced = false;
  let current = false;
  return {
    ...view,
    informerHealth: () => ({
      secrets: { synced: true, current: true, lastEventAgeMs: 1500 },
      pods: { synced, current, lastEventAgeMs: synced ? 250 : undefined },
    }),
    markSynced: () => void (synced = current = true),
    restartWatch: () => void (current = false),
  };
}

describe('operations port', () => {
  it('answers /healthz while the process lives', async () => {
    const t = await startTestServer();
    await request(t.opsUrl).get('/healthz').expect(200, 'ok\n');
  });

  it('is ready only once every informer has synced', async () => {
    const view = syncingView();
    const t = await startTestServer({}, view);
    const res = await request(t.opsUrl).get('/readyz').expect(503);
    expect(res.text).toBe('not ready: waiting for informers: pods\n');
    expect(t.server.ready()).toBe(false);
    view.markSynced();
    await request(t.opsUrl).get('/readyz').expect(200);
  });

  it('is not ready while a watch restarts after it had synced (the view may be missing changes)', async () => {
    const view = syncingView();
    view.markSynced();
    const t = await startTestServer({}, view);
    await request(t.opsUrl).get('/readyz').expect(200);
    view.restartWatch();
    const res = await request(t.opsUrl).get('/readyz').expect(503);
    expect(res.text).toBe('not ready: caches not synced, watch restarting: pods\n');
    view.markSynced();
    await request(t.opsUrl).get('/readyz').expect(200);
  });

  it('is plain HTTP on its own port, apart from the webhooks', async () => {
    const t = await startTestServer();
    expect(t.server.metricsPort).not.toBe(t.server.httpsPort);
    await request(t.opsUrl).post('/mutate').send(loadReview('pod-create')).expect(405);
  });

  it('exposes request counts, latency, injections, index sizes and sync state', async () => {
    const view = syncingView();
    view.usage.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: ['aws-s3', 'hf-token'] });
    const t = await startTestServer({}, view);
    await request(t.httpsUrl).post('/mutate').ca(t.ca).send(loadReview('pod-create')).expect(200);
    await request(t.httpsUrl).post('/mutate').ca(t.ca).send(loadReview('pod-create-unknown-credential')).expect(200);
    await request(t.httpsUrl).post('/validate').ca(t.ca).send(loadReview('secret-delete')).expect(200);
    await request(t.httpsUrl).post('/validate').ca(t.ca).send({ not: 'a review' }).expect(400);
    const dryRun = loadReview('pod-create');
    dryRun.request.dryRun = true;
    await request(t.httpsUrl).post('/mutate').ca(t.ca).send(dryRun).expect(200);

    const res = await request(t.opsUrl).get('/metrics').expect(200).expect('Content-Type', /text\/plain/);
    const text = res.text;
    expect(text).toContain('credinject_admission_requests_total{webhook="mutate",operation="CREATE",result="patched"} 2');
    expect(text).toContain('credinject_admission_requests_total{webhook="mutate",operation="CREATE",result="denied"} 1');
    expect(text).toContain('credinject_admission_requests_total{webhook="validate",operation="DELETE",result="denied"} 1');
    expect(text).toContain('credinject_admission_requests_total{webhook="validate",operation="unknown",result="invalid"} 1');
    expect(text).toMatch(/credinject_admission_duration_seconds_count\{webhook="mutate"\} 3/);
    expect(text).toContain('credinject_injections_total{type="aws"} 1'); // the dry run is not counted
    expect(text).toContain('credinject_index_size{index="credentials"} 3');
    expect(text).toContain('credinject_index_size{index="users"} 1');
    expect(text).toContain('credinject_index_size{index="referenced_credentials"} 2');
    expect(text).toContain('credinject_informer_synced{resource="secrets"} 1');
    expect(text).toContain('credinject_informer_synced{resource="pods"} 0');
    expect(text).toContain('credinject_informer_current{resource="secrets"} 1');
    expect(text).toContain('credinject_informer_current{resource="pods"} 0');
    expect(text).toContain('credinject_informer_last_event_age_seconds{resource="secrets"} 1.5');
    expect(text).not.toContain('credinject_informer_last_event_age_seconds{resource="pods"}');
  });
});

describe('credential expiry gauge', () => {
  it('exports each credential that carries an expiry, leaves mirrors out, and drops deleted ones', async () => {
    const view = fixtureView();
    const aws = view.credentials.get('ml', 'aws-s3')!;
    view.credentials.set({ ...aws, expiresAt: '2027-01-01T00:00:00.000Z', expiryKey: 'session_token' });
    view.credentials.set({ ...aws, namespace: 'other', labels: { ...aws.labels, 'credinject.dev/mirror': 'true' }, expiresAt: '2027-01-01T00:00:00.000Z' });
    const t = await startTestServer({}, view);
    const text = (await request(t.opsUrl).get('/metrics').expect(200)).text;
    expect(text).toContain('# TYPE credinject_credential_expiry_timestamp_seconds gauge');
    expect(text).toContain('credinject_credential_expiry_timestamp_seconds{namespace="ml",name="aws-s3",type="aws"} 1798761600');
    expect(text).not.toContain('namespace="other",name="aws-s3"');

    view.credentials.delete('ml', 'aws-s3');
    const after = (await request(t.opsUrl).get('/metrics').expect(200)).text;
    expect(after).not.toMatch(/credinject_credential_expiry_timestamp_seconds\{/);
  });
});
