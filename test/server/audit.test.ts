import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditRecord } from '../../src/server/auditRecord.js';
import { readdirSync } from 'node:fs';
import { loadReview, requestOf } from '../admission/reviews.js';
import { startTestServer } from './testServer.js';

describe('the audit line', () => {
  it('is written at info for every decision: user, namespace, object, operation, credentials, result and reason', async () => {
    const t = await startTestServer({ logLevel: 'info' });
    const post = (path: string, body: object) => request(t.httpsUrl).post(path).ca(t.ca).send(body).expect(200);
    await post('/mutate', loadReview('pod-create'));
    await post('/mutate', loadReview('pod-create-no-annotation'));
    await post('/mutate', loadReview('pod-create-unknown-credential'));
    await post('/validate', loadReview('secret-delete'));
    await post('/validate', loadReview('deployment-create'));
    const lines = t.logLines().filter((line) => line.msg === 'admission');
    expect(lines).toHaveLength(5);
    const [injected, untouched, denied, deleted, deployment] = lines;
    expect(injected).toMatchObject({
      level: 'info',
      webhook: 'mutate',
      user: 'system:serviceaccount:kube-system:replicaset-controller',
      namespace: 'ml',
      kind: 'Pod',
      operation: 'CREATE',
      dryRun: false,
      credentials: ['aws-s3'],
      result: 'patched',
    });
    expect(injected).toHaveProperty('generateName');
    expect(untouched).toMatchObject({ level: 'info', result: 'allowed', credentials: [] });
    expect(denied).toMatchObject({ result: 'denied', reason: 'CredentialNotFound', credentials: ['aws-s3', 'no-such-credential'] });
    expect(deleted).toMatchObject({ webhook: 'validate', kind: 'Secret', operation: 'DELETE', credentials: ['aws-s3'] });
    expect(deployment).toMatchObject({ webhook: 'validate', kind: 'Deployment', credentials: expect.arrayContaining(['aws-s3']) });
  });

  it('names a Pod made from generateName by its generateName, and never carries the object', () => {
    const review = requestOf('pod-create', { name: '' });
    const record = auditRecord('mutate', review, { patch: [], warnings: [] }, 'allowed', 0.0012);
    expect(record.generateName).toBe((review.object as { metadata: { generateName: string } }).metadata.generateName);
    expect(record.durationMs).toBe(1.2);
    expect(Object.keys(record)).not.toContain('object');
  });

  // The audit logger has no redaction paths (src/server/logger.ts): safe only while a record holds
  // names, counts and flags, never an object that could carry a Secret's data.
  const fixtures = readdirSync(new URL('../fixtures/admission/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
  it.each(fixtures)('holds only strings, numbers, flags and lists of names for %s', (name) => {
    const request = requestOf(name);
    const decision = { patch: [], warnings: [], denial: { reason: 'R', message: 'm' }, injected: [{ name: 'aws-s3', type: 'aws' }] };
    for (const d of [decision, { patch: [], warnings: [] }]) {
      for (const value of Object.values(auditRecord('validate', request, d, 'denied', 0.001))) {
        const scalar = (v: unknown) => v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
        expect(scalar(value) || (Array.isArray(value) && value.every((v) => typeof v === 'string'))).toBe(true);
      }
    }
  });
});
