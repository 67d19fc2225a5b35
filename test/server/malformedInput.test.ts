import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { credentialsFile, loadReview } from '../admission/reviews.js';
import { startTestServer, type TestServer } from './testServer.js';

/** A POST with exactly these headers and bytes (supertest would add or re-encode some). */
function rawPost(t: TestServer, path: string, headers: Record<string, string>, bytes?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${t.httpsUrl}${path}`, { method: 'POST', ca: t.ca, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.useChunkedEncodingByDefault = false;
    req.end(bytes);
  });
}

const post = (t: TestServer, path: string, body: unknown) => request(t.httpsUrl).post(path).ca(t.ca).send(body as object);

/** A recorded review whose object has been given a wrong shape. */
function reviewWith(name: string, change: (object: Record<string, any>) => void) {
  const review = loadReview(name);
  change(review.request.object as Record<string, any>);
  return review;
}

describe('objects of the wrong shape over the wire', () => {
  it.each([
    ['inject: 5', (o: any) => (o.metadata.annotations['credinject.dev/inject'] = 5), 'metadata.annotations["credinject.dev/inject"] must be a string'],
    ['inject: true', (o: any) => (o.metadata.annotations['credinject.dev/inject'] = true), 'metadata.annotations["credinject.dev/inject"] must be a string'],
    ['env: "oops"', (o: any) => (o.spec.containers[0].env = 'oops'), 'spec.containers[0].env must be a list'],
    ['containers as an object', (o: any) => (o.spec.containers = { app: {} }), 'spec.containers must be a list'],
    ['a null env entry', (o: any) => (o.spec.containers[0].env = [null]), 'spec.containers[0].env[0] must be an object'],
    ['volumeMounts as a string', (o: any) => (o.spec.containers[0].volumeMounts = '/data'), 'spec.containers[0].volumeMounts must be a list'],
    ['annotations as a string', (o: any) => (o.metadata.annotations = 'credinject.dev/inject=aws-s3'), 'metadata.annotations must be a map'],
  ])('denies a Pod with %s at /mutate and /validate, naming the field, never a 500', async (_name, change, field) => {
    const t = await startTestServer();
    for (const path of ['/mutate', '/validate']) {
      const res = await post(t, path, reviewWith('pod-create', change)).expect(200);
      expect(res.body.response).toMatchObject({ allowed: false, status: { code: 403 } });
      expect(res.body.response.status.message).toContain(field);
    }
    expect(t.logText()).not.toContain('admission handler failed');
  });

  it('starts from a credentials file holding a malformed Pod, reports it and serves the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credinject-'));
    const file = join(dir, 'credentials.yaml');
    const slip = 'apiVersion: v1\nkind: Pod\nmetadata: {name: slip, namespace: ml, annotations: {credinject.dev/inject: true}}\nspec: {containers: [{name: a}]}\n';
    writeFileSync(file, `${readFileSync(fileURLToPath(credentialsFile), 'utf8')}\n---\n${slip}`);
    const t = await startTestServer({ credentialsFile: file }, null);
    const res = await post(t, '/mutate', loadReview('pod-create')).expect(200);
    expect(res.body.response.allowed).toBe(true);
    const skipped = t.logLines().find((line) => line['msg'] === 'skipped a malformed object of the credentials file');
    expect(skipped).toMatchObject({ level: 'warn', problem: expect.stringContaining('Pod/slip: metadata.annotations["credinject.dev/inject"] must be a string') });
  });
});

describe('reviews without the objects their operation needs', () => {
  it.each([
    ['/mutate', 'pod-create', { object: null }, 'request.object'],
    ['/validate', 'deployment-create', { object: null }, 'request.object'],
    ['/validate', 'secret-delete', { oldObject: null }, 'request.oldObject'],
    ['/validate', 'secret-delete', { oldObject: {} }, 'request.oldObject.metadata'],
    ['/validate', 'secret-delete', { oldObject: { metadata: null } }, 'request.oldObject.metadata'],
  ])('%s answers %s with %j as a 400', async (path, name, changes, field) => {
    const t = await startTestServer();
    const review = loadReview(name);
    const res = await post(t, path, { ...review, request: { ...review.request, ...changes } }).expect(400);
    expect(res.body.error).toContain(field);
  });
});

describe('bodies that do not decode', () => {
  const review = JSON.stringify(loadReview('pod-create'));
  it.each([
    ['gzip', gzipSync(review)],
    ['deflate', deflateSync(review)],
    ['br', brotliCompressSync(review)],
  ])('reads a %s body', async (encoding, bytes) => {
    const t = await startTestServer();
    const res = await rawPost(t, '/mutate', { 'Content-Type': 'application/json', 'Content-Encoding': encoding, 'Content-Length': String(bytes.length) }, bytes);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).response.allowed).toBe(true);
  });

  it.each(['gzip', 'deflate', 'br'])('answers a body that is not %s with 400, not 500, and logs it without the body', async (encoding) => {
    const t = await startTestServer();
    const res = await request(t.httpsUrl).post('/mutate').ca(t.ca).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"SECRET-MARKER": 1}').expect(400);
    expect(res.body.error).toBe(`request body does not decode as Content-Encoding ${encoding}`);
    expect(t.logLines()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'rejected a request body', status: 400 }));
    expect(t.logText()).not.toContain('SECRET-MARKER');
    expect(t.logText()).not.toContain('admission handler failed');
  });
});

describe('bodies that are not reviews', () => {
  it.each(['null', '"str"', '123', 'true'])('tells a JSON %s body it is JSON, but not an AdmissionReview', async (body) => {
    const t = await startTestServer();
    const res = await request(t.httpsUrl).post('/mutate').ca(t.ca).set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.body.error).toMatch(/^not an admission.k8s.io\/v1 AdmissionReview: \(body\): .*expected object/);
  });

  it('logs a body that is not JSON at warn, without the body', async () => {
    const t = await startTestServer();
    await request(t.httpsUrl).post('/validate').ca(t.ca).set('Content-Type', 'application/json').send('{"SECRET-MARKER').expect(400);
    expect(t.logLines()).toContainEqual(expect.objectContaining({ level: 'warn', webhook: 'validate', problem: 'request body is not valid JSON' }));
    expect(t.logText()).not.toContain('SECRET-MARKER');
  });

  it('logs a wrong Content-Type at warn', async () => {
    const t = await startTestServer();
    await request(t.httpsUrl).post('/mutate').ca(t.ca).set('Content-Type', 'text/plain').send('SECRET-MARKER').expect(400);
    expect(t.logLines()).toContainEqual(expect.objectContaining({ level: 'warn', status: 400, msg: 'rejected a request body' }));
    expect(t.logText()).not.toContain('SECRET-MARKER');
  });

  it('tells an HTTP/1.0 POST without Content-Length that it sent no body, not that its Content-Type is wrong', async () => {
    const t = await startTestServer();
    // What an HTTP/1.0 client sends: neither Content-Length nor chunked encoding.
    const answer = await rawPost(t, '/mutate', { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(411);
    expect(JSON.parse(answer.body).error).toMatch(/no request body/);
  });
});

describe('connections that never start TLS', () => {
  it('are closed once the request timeout passes, not held for two minutes', async () => {
    const t = await startTestServer({ requestTimeoutMs: 300 });
    const socket: Socket = connect(t.server.httpsPort, '127.0.0.1');
    // Resolves only when the server hangs up; Node's default handshake timeout (120 s) would time the test out.
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(socket.bytesRead).toBe(0);
  }, 10_000);
});
