import { connect, type TLSSocket } from 'node:tls';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadReview } from '../admission/reviews.js';
import { eventually } from '../kube/fakeApiServer.js';
import { startTestServer } from './testServer.js';

/** A request whose body is only half sent: in flight until `finish()`. */
async function halfSentRequest(port: number, ca: string, path: string, body: string) {
  const socket: TLSSocket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => resolve(s));
    s.on('error', reject);
  });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  /** Everything the server sent, once it closed the connection. */
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(Buffer.concat(received).toString('utf8'))));
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
  );
  return {
    closed,
    async finish(): Promise<{ status: number; headers: string; body: any }> {
      socket.write(body.slice(half));
      const text = await closed; // the draining server closes the connection after answering
      const [head = '', payload = ''] = text.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(payload) };
    },
  };
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown', () => {
  it('turns readiness off, stops accepting, and lets requests in flight complete', async () => {
    const t = await startTestServer({ shutdownDelayMs: 200 });
    const pod = loadReview('pod-create');
    const secret = loadReview('secret-delete');
    const first = await halfSentRequest(t.server.httpsPort, t.ca, '/mutate', JSON.stringify(pod));
    const second = await halfSentRequest(t.server.httpsPort, t.ca, '/validate', JSON.stringify(secret));

    let closed = false;
    const closing = t.server.close().then(() => void (closed = true));
    const ready = await request(t.opsUrl).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).toContain('shutting down');

    let refused = false;
    const deadline = Date.now() + 5000;
    while (!refused && Date.now() < deadline) refused = await connectionRefused(t.server.httpsPort);
    expect(refused).toBe(true);
    expect(closed).toBe(false); // still waiting for the two requests

    const [a, b] = await Promise.all([first.finish(), second.finish()]);
    expect(a.status).toBe(200);
    expect(a.body.response).toMatchObject({ uid: pod.request.uid, allowed: true, patchType: 'JSONPatch' });
    expect(a.headers).toContain('connection: close');
    expect(b.status).toBe(200);
    expect(b.body.response.uid).toBe(secret.request.uid);
    await closing;
    await eventually(() => closed, 'close() to resolve');
  });

  it('cuts a client that stalls mid-request well before the webhook timeout', async () => {
    const t = await startTestServer({ requestTimeoutMs: 300 });
    const started = Date.now();
    const stalled = await halfSentRequest(t.server.httpsPort, t.ca, '/mutate', JSON.stringify(loadReview('pod-create')));
    const text = await stalled.closed; // the rest of the body never comes
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
