import { createServer, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, apiStatus, kubeApi, type KubeApi } from '../../src/kube/kubeApi.js';
import { describeApiError } from '../../src/kube/describeApiError.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The client's port: the same for requests on one kept-alive connection. */
  clientPort: number;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server on 127.0.0.1 that records each request and answers with `answer`. */
async function serve(answer: (seen: Seen, res: ServerResponse) => void): Promise<{ api: KubeApi; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, clientPort: req.socket.remotePort ?? 0 };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true });
  closers.push(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const api = kubeApi({ server: `http://127.0.0.1:${port}`, prepare: async () => ({ agent, headers: { authorization: 'Bearer t0ken' } }) }, { timeoutMs: 2000 });
  return { api, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('kubeApi', () => {
  it('sends JSON with the connection headers and the query, and parses the answer', async () => {
    const { api, seen } = await serve((_, res) => json(res, 200, { kind: 'SecretList', items: [] }));
    const list = await api.call({ method: 'GET', path: '/api/v1/namespaces/ml/secrets', query: { limit: 500, continue: undefined, labelSelector: 'credinject.dev/type' } });
    expect(list).toEqual({ kind: 'SecretList', items: [] });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/namespaces/ml/secrets?limit=500&labelSelector=credinject.dev%2Ftype' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer t0ken', accept: 'application/json' });
    expect(seen[0]!.headers['content-type']).toBeUndefined();
  });

  it('writes a body as JSON, a PATCH as a merge patch unless told it is a JSON patch', async () => {
    const { api, seen } = await serve((_, res) => json(res, 200, {}));
    await api.call({ method: 'POST', path: '/api/v1/namespaces/ml/secrets', body: { metadata: { name: 'a' } } });
    await api.call({ method: 'PATCH', path: '/apis/apps/v1/namespaces/ml/deployments/web', body: { spec: {} } });
    await api.call({ method: 'PATCH', patch: 'json', path: '/apis/x', body: [{ op: 'add', path: '/a', value: 1 }] });
    expect(seen.map((s) => [s.method, s.headers['content-type'], s.body])).toEqual([
      ['POST', 'application/json', '{"metadata":{"name":"a"}}'],
      ['PATCH', 'application/merge-patch+json', '{"spec":{}}'],
      ['PATCH', 'application/json-patch+json', '[{"op":"add","path":"/a","value":1}]'],
    ]);
  });

  it('rejects a non-2xx answer with its code and a one-line message from the Status, never the request', async () => {
    const status = { kind: 'Status', reason: 'NotFound', message: 'secrets "aws" not found', code: 404 };
    const { api } = await serve((_, res) => json(res, 404, status));
    const err = await api.call({ method: 'PUT', path: '/api/v1/namespaces/ml/secrets/aws', body: { data: { k: 'c2VjcmV0LXZhbHVl' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(apiStatus(err)).toBe(404);
    expect((err as Error).message).toBe('HTTP 404 NotFound: secrets "aws" not found');
    expect(describeApiError(err)).toBe('HTTP 404 NotFound: secrets "aws" not found');
    expect(String((err as Error).message)).not.toContain('c2VjcmV0LXZhbHVl');
    expect(apiStatus(new Error('x'))).toBeUndefined();
  });

  it('reuses one kept-alive connection for calls in a row', async () => {
    const { api, seen } = await serve((_, res) => json(res, 200, {}));
    for (let i = 0; i < 3; i++) await api.call({ method: 'GET', path: '/api/v1/namespaces' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.clientPort)).size).toBe(1);
  });

  it('aborts a call with its signal, and one that gets no answer within the timeout', async () => {
    const { api } = await serve(() => undefined); // accepts, never answers
    const controller = new AbortController();
    const pending = api.call({ method: 'GET', path: '/api/v1/secrets', signal: controller.signal });
    controller.abort(new Error('stopping'));
    await expect(pending).rejects.toThrow();
    await expect(api.call({ method: 'GET', path: '/api/v1/secrets' })).rejects.toThrow(/timeout|aborted/i);
  }, 15_000); // waits out the 2 s call timeout

  it('streams a 200 answer and rejects another status with its code', async () => {
    const { api } = await serve((seen, res) => {
      if (seen.url.includes('resourceVersion=1')) return json(res, 410, { kind: 'Status', reason: 'Expired', code: 410 });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"ADDED","object":{}}\n');
    });
    const res = await api.stream('/api/v1/secrets', { watch: true, resourceVersion: 2 }, new AbortController().signal);
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect(text).toBe('{"type":"ADDED","object":{}}\n');
    const gone = await api.stream('/api/v1/secrets', { watch: true, resourceVersion: 1 }, new AbortController().signal).catch((e: unknown) => e);
    expect(apiStatus(gone)).toBe(410);
  });
});
