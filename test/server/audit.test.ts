import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditRecord } from '../../src/server/auditRecord.js';
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
});
