import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { credentialsFile, fixtureView, loadReview } from '../admission/reviews.js';
import { startTestServer, type TestServer } from './testServer.js';

const post = (t: TestServer, path: string, body: unknown) => request(t.httpsUrl).post(path).ca(t.ca).send(body as object);
const decodePatch = (patch: string) => JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as { op: string; path: string }[];

describe('webhook server over HTTPS', () => {
  it('injects a Pod at /mutate: same apiVersion/kind, the uid, a base64 JSONPatch', async () => {
    const t = await startTestServer();
    const review = loadReview('pod-create');
    const res = await post(t, '/mutate', review).expect(200).expect('Content-Type', /application\/json/);
    expect(res.body.apiVersion).toBe('admission.k8s.io/v1');
    expect(res.body.kind).toBe('AdmissionReview');
    expect(res.body.response.uid).toBe(review.request.uid);
    expect(res.body.response.allowed).toBe(true);
    expect(res.body.response.patchType).toBe('JSONPatch');
    expect(decodePatch(res.body.response.patch)).toContainEqual(expect.objectContaining({ path: '/spec/containers/0/env' }));
  });

  it.each(['deployment', 'statefulset', 'daemonset', 'replicaset', 'job', 'cronjob'])('prepares a %s at /mutate', async (kind) => {
    const t = await startTestServer();
    const res = await post(t, '/mutate', loadReview(`${kind}-create`)).expect(200);
    expect(res.body.response.allowed).toBe(true);
    expect(decodePatch(res.body.response.patch)[0]?.path).toMatch(/template\/metadata\/annotations$/);
  });

  it('denies an unknown credential with status code and message', async () => {
    const t = await startTestServer();
    const res = await post(t, '/mutate', loadReview('pod-create-unknown-credential')).expect(200);
    expect(res.body.response).toMatchObject({ allowed: false, status: { code: 403, message: expect.stringContaining('"no-such-credential"') } });
    expect(res.body.response.patch).toBeUndefined();
  });

  it.each([
    ['secret-create', true],
    ['secret-create-invalid', false],
    ['secret-update-invalid', false],
    ['secret-delete', true],
    ['pod-create-unknown-credential', false],
    ['deployment-create', true],
  ])('answers %s at /validate (allowed: %s)', async (name, allowed) => {
    const t = await startTestServer();
    const res = await post(t, '/validate', loadReview(name)).expect(200);
    expect(res.body.response.allowed).toBe(allowed);
    expect(res.body.response.uid).toBe(loadReview(name).request.uid);
  });

  it('refuses to delete a credential in use, over the wire', async () => {
    const view = fixtureView();
    view.usage.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: ['aws-s3'] });
    const t = await startTestServer({}, view);
    const res = await post(t, '/validate', loadReview('secret-delete')).expect(200);
    expect(res.body.response).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(res.body.response.status.message).toContain('Deployment/web');
  });

  it.each(['pod-create', 'pod-create-unknown-credential', 'secret-create-invalid'])('answers the dry run of %s like the real one', async (name) => {
    const t = await startTestServer();
    const webhook = name.startsWith('secret') ? '/validate' : '/mutate';
    const real = await post(t, webhook, loadReview(name));
    const dry = loadReview(name);
    dry.request.dryRun = true;
    expect((await post(t, webhook, dry)).body).toEqual(real.body);
  });

  it('serves the same answers in static mode from a credentials file', async () => {
    const fromView = await startTestServer();
    const fromFile = await startTestServer({ credentialsFile: fileURLToPath(credentialsFile) }, null);
    for (const name of ['pod-create', 'pod-create-unknown-credential', 'cronjob-create']) {
      const a = await post(fromView, '/mutate', loadReview(name));
      const b = await post(fromFile, '/mutate', loadReview(name));
      expect(b.body).toEqual(a.body);
    }
    await request(fromFile.opsUrl).get('/readyz').expect(200);
  });
});

describe('webhook server: bodies that are not reviews', () => {
  it('answers malformed JSON with 400 and a readable message', async () => {
    const t = await startTestServer();
    const res = await request(t.httpsUrl).post('/mutate').ca(t.ca).set('Content-Type', 'application/json').send('{"kind": "Admission').expect(400);
    expect(res.body.error).toBe('request body is not valid JSON');
  });

  it('answers JSON that is not an AdmissionReview with 400 naming the field', async () => {
    const t = await startTestServer();
    const res = await post(t, '/validate', { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }).expect(400);
    expect(res.body.error).toMatch(/apiVersion/);
  });

  it('answers a wrong Content-Type with 400', async () => {
    const t = await startTestServer();
    const res = await request(t.httpsUrl).post('/mutate').ca(t.ca).set('Content-Type', 'text/plain').send(JSON.stringify(loadReview('pod-create'))).expect(400);
    expect(res.body.error).toMatch(/Content-Type application\/json/);
  });

  it('accepts a 3 MiB review and answers 413 beyond the limit', async () => {
    const t = await startTestServer();
    const big = loadReview('pod-create');
    (big.request.object as any).metadata.annotations['example.com/padding'] = 'x'.repeat(3 * 1024 * 1024);
    await post(t, '/mutate', big).expect(200);
    (big.request.object as any).metadata.annotations['example.com/padding'] = 'x'.repeat(7 * 1024 * 1024);
    const res = await post(t, '/mutate', big).expect(413);
    expect(res.body.error).toMatch(/exceeds 6291456 bytes/);
  });

  it('answers other paths and methods with 404', async () => {
    const t = await startTestServer();
    await request(t.httpsUrl).get('/mutate').ca(t.ca).expect(404);
    await post(t, '/admit', loadReview('pod-create')).expect(404);
  });
});
