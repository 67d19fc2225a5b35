import { describe, expect, it } from 'vitest';
import { reviewResponse } from '../../src/admission/response.js';

describe('reviewResponse', () => {
  it('answers with the same apiVersion, kind and uid', () => {
    expect(reviewResponse('u-1', { patch: [], warnings: [] })).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-1', allowed: true },
    });
  });

  it('carries a patch as base64 JSON with patchType JSONPatch', () => {
    const patch = [{ op: 'add' as const, path: '/metadata/labels', value: { a: 'b' } }];
    const { response } = reviewResponse('u-2', { patch, warnings: [] });
    expect(response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(response.patch!, 'base64').toString('utf8'))).toEqual(patch);
  });

  it('passes the engine warnings through', () => {
    expect(reviewResponse('u-3', { patch: [], warnings: ['kept AWS_REGION'] }).response.warnings).toEqual(['kept AWS_REGION']);
  });

  it('denies with status code and message, and never sends a patch with a denial', () => {
    const patch = [{ op: 'add' as const, path: '/x', value: 1 }];
    const { response } = reviewResponse('u-4', { patch, warnings: [], denial: { reason: 'CredentialNotFound', message: 'no "x"' } });
    expect(response).toEqual({ uid: 'u-4', allowed: false, status: { code: 403, reason: 'Forbidden', message: 'no "x"' } });
  });
});
