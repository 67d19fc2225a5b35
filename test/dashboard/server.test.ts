import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/contract/keys.js';
import type { DashboardSource } from '../../src/dashboard/liveView.js';
import { startDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import type { DashboardSnapshot } from '../../src/dashboard/snapshot.js';
import { credential, marker, snapshot } from './fixtures.js';

const token = 'test-token-0123456789';
const current: DashboardSnapshot = snapshot(
  [
    credential({ name: 'hf', namespace: 'ml', annotations: { [keys.description]: '<script>alert(1)</script>' } }),
    credential({ name: 's3', namespace: 'ml', type: 'aws', data: { access_key_id: 'AKIA', secret_access_key: marker.awsSecret } }),
  ],
  { users: [{ namespace: 'ml', kind: 'Deployment', name: 'trainer', credentials: ['s3'], direct: [], request: {} }], denied: [{ namespace: 'other', resource: 'secrets', message: 'forbidden' }],
    digestKeyNotice: { namespace: 'credinject-system', text: 'staleness is unknown ("?"): forbidden to get Secret credinject-system/credinject-digest-key; …' },
  },
);
const listeners = new Set<() => void>();
const source: DashboardSource = {
  snapshot: () => current,
  synced: () => true,
  subscribe: (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  stop: async () => {},
};

let dashboard: DashboardServer;
const host = () => `127.0.0.1:${dashboard.port}`;
const get = (path: string) => request(dashboard.server).get(path).set('Host', host()).set('Cookie', `credinject_dashboard=${token}`);

beforeAll(async () => {
  dashboard = await startDashboardServer({ port: 0, token, source, namespace: 'ml' });
});
afterAll(async () => {
  await dashboard.close();
});

describe('the dashboard server', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(dashboard.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/?token=${token}`);
  });

  it('serves the page with the token in the query and sets the cookie for its own requests', async () => {
    const page = await request(dashboard.server).get(`/?token=${token}`).set('Host', host());
    expect(page.status).toBe(200);
    expect(page.text).toContain('<table id="credentials">');
    expect(page.headers['set-cookie']?.[0]).toMatch(/^credinject_dashboard=test-token-0123456789; HttpOnly; SameSite=Strict/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it.each([
    ['no token', (p: string) => request(dashboard.server).get(p).set('Host', host())],
    ['a rebinding Host', (p: string) => request(dashboard.server).get(`${p}?token=${token}`).set('Host', `evil.example:${dashboard.port}`)],
  ])('refuses %s with 403', async (_, call) => {
    for (const path of ['/', '/dashboard.js', '/api/credentials', '/api/events', '/api/credentials/ml/s3']) {
      const response = await call(path);
      expect(response.status).toBe(403);
      expect(response.text).not.toContain(marker.awsSecret);
    }
  });

  it.each(['POST', 'PUT', 'DELETE'] as const)('answers %s with 405 (read-only)', async (method) => {
    const response = await request(dashboard.server)[method.toLowerCase() as 'post'](`/api/credentials?token=${token}`).set('Host', host());
    expect(response.status).toBe(405);
  });

  it('answers the table with rows and notices', async () => {
    const response = await get('/api/credentials');
    expect(response.status).toBe(200);
    expect(response.body.rows.map((row: { id: string }) => row.id)).toEqual(['ml/hf', 'ml/s3']);
    expect(response.body.notices.map((notice: { namespace: string }) => notice.namespace)).toEqual(['other', 'credinject-system']);
    expect(response.body.notices[1].text).toContain('forbidden to get Secret credinject-system/credinject-digest-key');
    expect(response.body).toMatchObject({ namespace: 'ml', synced: true });
  });

  it.each([
    ['/api/credentials/ml/s3', 200, 'ml/Deployment/trainer'],
    ['/api/users/ml/Deployment/trainer', 200, 'ml/s3'],
    ['/api/credentials/ml/nope', 404, 'no credential ml/nope'],
    ['/api/users/ml/Pod/nope', 404, 'no user'],
    ['/api/credentials/ml/%E0%A4%A', 400, 'malformed'],
    ['/nowhere', 404, 'no such page'],
  ])('answers %s with %d', async (path, status, text) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    expect(response.text).toContain(text);
  });

  it('sends no value, digest or foreign annotation in any answer', async () => {
    const texts = await Promise.all(['/', '/dashboard.js', '/dashboard.css', '/api/credentials', '/api/credentials/ml/s3', '/api/credentials/ml/hf'].map(async (p) => (await get(p)).text));
    for (const text of texts) {
      for (const value of [...Object.values(marker), Buffer.from(marker.awsSecret).toString('base64'), current.credentials[1]!.dataDigest, 'last-applied']) {
        expect(text).not.toContain(value);
      }
    }
  });

  it('streams a changed event when the source changes', async () => {
    const response = await new Promise<string>((resolve, reject) => {
      let text = '';
      const req = request(dashboard.server)
        .get('/api/events')
        .set('Host', host())
        .set('Cookie', `credinject_dashboard=${token}`)
        .buffer(false)
        .parse((res, done) => {
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('event: hello')) for (const listener of listeners) listener();
            if (text.includes('event: changed')) {
              resolve(text);
              (res as unknown as { destroy(): void }).destroy();
            }
          });
          res.on('end', () => done(null, text));
        });
      req.end((err) => {
        if (err && !text.includes('event: changed')) reject(err);
      });
    });
    expect(response).toMatch(/event: changed\ndata: \{"version":\d+\}/);
  });
});
