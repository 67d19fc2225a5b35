import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { Writable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifests/manifests.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { fileView } from '../../src/view/fileView.js';
import type { KubeView } from '../../src/view/view.js';
import { credentialsYaml, review as benchReview } from '../../bench/admissionReview.mjs';
import { peerReview } from '../../bench/peer/peerReview.mjs';
import { fixtureView, loadReview } from '../admission/reviews.js';
import { testMaterial } from './testServer.js';

/*
 * What the webhook answers, recorded from the express path the fast path replaced (issue 17 item 2):
 * for every fixture review at both endpoints, the benchmark's reviews, and every malformed input of
 * the robustness issue (test/server/malformedInput.test.ts), the status, the headers, the body byte
 * for byte and the log lines the request wrote. The server must answer all of it the same way.
 * `CREDINJECT_RECORD_ANSWERS=1 npx vitest run test/server/answerEquivalence.test.ts` re-records;
 * only do that for an intended change of an answer, and say so in the commit.
 */
const goldenFile = new URL('../fixtures/server/admission-answers.json', import.meta.url);
const recording = process.env['CREDINJECT_RECORD_ANSWERS'] === '1';

interface Case {
  name: string;
  /** Which server: the fixture credentials or the benchmark's. */
  view: 'fixtures' | 'bench';
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  log: Record<string, unknown>[];
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const jsonPost = (name: string, path: string, body: Buffer, view: Case['view'] = 'fixtures', extra: Record<string, string> = {}): Case => ({
  name,
  view,
  path,
  headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...extra },
  body,
});

const fixtureNames = readdirSync(new URL('../fixtures/admission/', import.meta.url))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort();

/** The pod-create review with its object given a wrong shape (the robustness issue's cases). */
function podWith(change: (object: Record<string, any>) => void): Buffer {
  const review = loadReview('pod-create');
  change(review.request.object as Record<string, any>);
  return json(review);
}
const wrongShapes: [string, (o: Record<string, any>) => void][] = [
  ['inject: 5', (o) => (o.metadata.annotations['credinject.dev/inject'] = 5)],
  ['inject: true', (o) => (o.metadata.annotations['credinject.dev/inject'] = true)],
  ['env: "oops"', (o) => (o.spec.containers[0].env = 'oops')],
  ['containers as an object', (o) => (o.spec.containers = { app: {} })],
  ['a null env entry', (o) => (o.spec.containers[0].env = [null])],
  ['volumeMounts as a string', (o) => (o.spec.containers[0].volumeMounts = '/data')],
  ['annotations as a string', (o) => (o.metadata.annotations = 'credinject.dev/inject=aws-s3')],
];
const missingObjects: [string, string, Record<string, unknown>][] = [
  ['/mutate', 'pod-create', { object: null }],
  ['/validate', 'deployment-create', { object: null }],
  ['/validate', 'secret-delete', { oldObject: null }],
  ['/validate', 'secret-delete', { oldObject: {} }],
  ['/validate', 'secret-delete', { oldObject: { metadata: null } }],
];
const podReview = json(loadReview('pod-create'));
const oversized = Buffer.concat([Buffer.from('{"pad":"'), Buffer.alloc(6 * 1024 * 1024 + 10, 'a'), Buffer.from('"}')]);

const cases: Case[] = [
  ...fixtureNames.flatMap((name) => ['/mutate', '/validate'].map((path) => jsonPost(`${name} at ${path}`, path, json(loadReview(name))))),
  ...fixtureNames.map((name) => {
    const review = loadReview(name);
    return jsonPost(`${name} dry run at /validate`, '/validate', json({ ...review, request: { ...review.request, dryRun: true } }));
  }),
  jsonPost('the admission benchmark review', '/mutate', json(benchReview()), 'bench'),
  jsonPost('the peer benchmark review', '/mutate', json(peerReview()), 'bench'),
  jsonPost('the peer benchmark review at /validate', '/validate', json(peerReview()), 'bench'),
  ...wrongShapes.flatMap(([name, change]) => ['/mutate', '/validate'].map((path) => jsonPost(`a Pod with ${name} at ${path}`, path, podWith(change)))),
  ...missingObjects.map(([path, name, changes]) => {
    const review = loadReview(name);
    return jsonPost(`${name} with ${JSON.stringify(changes)} at ${path}`, path, json({ ...review, request: { ...review.request, ...changes } }));
  }),
  ...(['gzip', 'deflate', 'br'] as const).map((encoding) => {
    const compress = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync }[encoding];
    return jsonPost(`a ${encoding} body`, '/mutate', compress(podReview), 'fixtures', { 'Content-Encoding': encoding });
  }),
  ...['gzip', 'deflate', 'br'].map((encoding) => jsonPost(`a body that is not ${encoding}`, '/mutate', Buffer.from('{"SECRET-MARKER": 1}'), 'fixtures', { 'Content-Encoding': encoding })),
  jsonPost('an unknown Content-Encoding', '/mutate', podReview, 'fixtures', { 'Content-Encoding': 'compress' }),
  jsonPost('Content-Encoding identity', '/mutate', podReview, 'fixtures', { 'Content-Encoding': 'identity' }),
  jsonPost('Content-Encoding IDENTITY', '/mutate', podReview, 'fixtures', { 'Content-Encoding': 'IDENTITY' }),
  ...['null', '"str"', '123', 'true', '[]', '{}', ''].map((body) => jsonPost(`the JSON body ${JSON.stringify(body)}`, '/mutate', Buffer.from(body))),
  jsonPost('a body that is not JSON', '/validate', Buffer.from('{"SECRET-MARKER')),
  jsonPost('a body with a UTF-8 byte order mark', '/mutate', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), podReview])),
  jsonPost('a body with invalid UTF-8', '/mutate', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])),
  jsonPost('a body over the limit', '/mutate', oversized),
  { name: 'a body over the limit, chunked', view: 'fixtures', path: '/mutate', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: oversized },
  { name: 'a chunked review', view: 'fixtures', path: '/mutate', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, body: podReview },
  { name: 'a Content-Type text/plain', view: 'fixtures', path: '/mutate', headers: { 'Content-Type': 'text/plain', 'Content-Length': '13' }, body: Buffer.from('SECRET-MARKER') },
  { name: 'no Content-Type', view: 'fixtures', path: '/mutate', headers: { 'Content-Length': String(podReview.length) }, body: podReview },
  { name: 'no body (HTTP/1.0 style)', view: 'fixtures', path: '/mutate', headers: { 'Content-Type': 'application/json' } },
  jsonPost('charset=utf-8', '/mutate', podReview, 'fixtures', { 'Content-Type': 'application/json; charset=utf-8' }),
  jsonPost('charset=UTF-8 with spaces', '/mutate', podReview, 'fixtures', { 'Content-Type': 'Application/JSON ; charset="UTF-8"' }),
  jsonPost('charset=latin1', '/mutate', podReview, 'fixtures', { 'Content-Type': 'application/json; charset=latin1' }),
  jsonPost('application/merge-patch+json', '/mutate', podReview, 'fixtures', { 'Content-Type': 'application/merge-patch+json' }),
  jsonPost('the API server query string', '/mutate?timeout=10s', podReview),
  jsonPost('the API server query string at /validate', '/validate?timeout=10s', json(loadReview('secret-delete'))),
  jsonPost('a trailing slash', '/mutate/', podReview),
  jsonPost('another case', '/MUTATE', podReview),
  jsonPost('an unknown path', '/inject', podReview),
  jsonPost('the root', '/', podReview),
  { name: 'GET /mutate', view: 'fixtures', method: 'GET', path: '/mutate', headers: {} },
  { name: 'PUT /validate', view: 'fixtures', method: 'PUT', path: '/validate', headers: { 'Content-Type': 'application/json', 'Content-Length': String(podReview.length) }, body: podReview },
];

/** Log fields that differ from run to run. */
const volatileLogFields = new Set(['time', 'durationMs']);

function send(port: number, ca: string, agent: Agent, c: Case): Promise<Omit<Answer, 'log'>> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: c.path, method: c.method ?? 'POST', ca, headers: c.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = { ...res.headers };
        delete headers['date'];
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.useChunkedEncodingByDefault = c.headers['Transfer-Encoding'] === 'chunked';
    req.end(c.body);
  });
}

interface Served {
  server: RunningServer;
  log: string[];
  /** Keep-alive, as the API server connects: the answers' connection headers are those it sees. */
  agent: Agent;
}

async function serve(view: KubeView): Promise<Served> {
  const { serving } = await testMaterial();
  const log: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      log.push(String(chunk));
      done();
    },
  });
  const server = await startServer(
    { port: 0, address: '127.0.0.1', metricsPort: 0, metricsAddress: '127.0.0.1', logLevel: 'debug', shutdownDelayMs: 0, tls: { mode: 'pem', cert: serving.cert, key: serving.key } },
    { logDestination, view },
  );
  return { server, log, agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
}

const servers: Partial<Record<Case['view'], Served>> = {};
beforeAll(async () => {
  servers.fixtures = await serve(fixtureView());
  servers.bench = await serve(fileView(parseManifests(credentialsYaml(), 'bench-credentials.yaml')));
});
afterAll(async () => {
  for (const s of Object.values(servers)) s?.agent.destroy();
  await Promise.all(Object.values(servers).map((s) => s?.server.close()));
});

/** Log lines the request wrote: complete lines that appeared while it was answered, without run-dependent fields. */
function logSince(served: Served, from: number): Record<string, unknown>[] {
  return served.log
    .slice(from)
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => Object.fromEntries(Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !volatileLogFields.has(key))));
}

async function answer(c: Case): Promise<Answer> {
  const served = servers[c.view]!;
  const { ca } = await testMaterial();
  const from = served.log.length;
  const reply = await send(served.server.httpsPort, ca.cert, served.agent, c);
  return { ...reply, log: logSince(served, from) };
}

const golden: Record<string, Answer> = !recording && existsSync(goldenFile) ? (JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, Answer>) : {};
const recorded: Record<string, Answer> = {};
if (recording) {
  afterAll(() => {
    mkdirSync(new URL('.', goldenFile), { recursive: true });
    writeFileSync(goldenFile, `${JSON.stringify(recorded, null, 1)}\n`);
  });
}

describe('the webhook answers what the express path answered', () => {
  it('has a recorded answer for every case, and no case twice', () => {
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    if (!recording) expect(Object.keys(golden).sort()).toEqual([...names].sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const got = await answer(c);
    if (recording) recorded[name] = got;
    else expect(got).toEqual(golden[name]);
  });
});
