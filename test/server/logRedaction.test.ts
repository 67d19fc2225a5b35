import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { loadReview } from '../admission/reviews.js';
import { startTestServer } from './testServer.js';

const marker = 'MARKER-7c1e-never-in-a-log';
const b64 = (text: string) => Buffer.from(text).toString('base64');
// The marker as it may appear: plain (`stringData`) or base64 (`data`).
const forms = [marker, b64(marker)];

function secretReview(name: string, operation: 'CREATE' | 'UPDATE' | 'DELETE', data: Record<string, string>) {
  const review = loadReview(operation === 'DELETE' ? 'secret-delete' : operation === 'UPDATE' ? 'secret-update-invalid' : 'secret-create');
  const secret = { ...(review.request.oldObject ?? review.request.object), data, stringData: { extra: marker } } as Record<string, unknown>;
  review.request.object = operation === 'DELETE' ? null : secret;
  if (operation !== 'CREATE') review.request.oldObject = secret;
  review.request.uid = `uid-${name}`;
  return review;
}

describe('log redaction', () => {
  it("never writes a Secret's values to the log, whatever the request", async () => {
    const t = await startTestServer({ logLevel: 'trace' });
    const https = () => request(t.httpsUrl);
    const bodies = [
      ['/validate', secretReview('valid', 'CREATE', { access_key_id: b64(marker), secret_access_key: b64(marker) })],
      ['/validate', secretReview('invalid', 'CREATE', { access_key_id: b64(marker), unexpected_key: b64(marker) })],
      ['/validate', secretReview('update', 'UPDATE', { access_key_id: b64(marker) })],
      ['/validate', secretReview('delete', 'DELETE', { access_key_id: b64(marker) })],
      ['/validate', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 7, object: { data: { k: marker } } } }],
    ] as const;
    const responses: string[] = [];
    for (const [path, body] of bodies) responses.push((await https().post(path).ca(t.ca).send(body as object)).text);
    const broken = `{"request": {"object": {"data": {"k": "${marker}"`;
    responses.push((await https().post('/validate').ca(t.ca).set('Content-Type', 'application/json').send(broken)).text);
    const oversize = JSON.stringify({ pad: 'x'.repeat(7 * 1024 * 1024), data: marker });
    responses.push((await https().post('/validate').ca(t.ca).set('Content-Type', 'application/json').send(oversize)).text);

    const log = t.logText();
    expect(t.logLines().some((line) => line.uid === 'uid-invalid' && line.operation === 'CREATE' && line.kind === 'Secret')).toBe(true);
    for (const form of forms) {
      expect(log).not.toContain(form);
      for (const response of responses) expect(response).not.toContain(form);
    }
  });

  it('redacts Secret data even when an object is logged by mistake', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => void (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    logger.info({ request: { object: { data: { k: marker } }, oldObject: { stringData: { k: marker } } } }, 'oops');
    logger.info({ secret: { data: { k: marker }, stringData: { k: marker } } }, 'oops again');
    logger.info({ data: { k: marker } }, 'and again');
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain(marker);
  });
});
