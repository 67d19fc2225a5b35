import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Decision } from '../../src/contract/decision.js';
import { reviewResponse, reviewResponseText } from '../../src/admission/response.js';

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

describe('reviewResponseText', () => {
  const patch = [{ op: 'add' as const, path: '/metadata/annotations/credinject.dev~1status', value: 'injected' }];
  const denial = { reason: 'CredentialNotFound', message: 'no "x" in\nnamespace ml \u2028' };
  it.each<[string, Decision]>([
    ['allowed untouched', { patch: [], warnings: [] }],
    ['a patch', { patch, warnings: [] }],
    ['a patch and warnings', { patch, warnings: ['kept "AWS_REGION"', 'ünïcode'] }],
    ['warnings only', { patch: [], warnings: ['w'] }],
    ['a denial', { patch: [], warnings: [], denial }],
    ['a denial with a patch and warnings (the patch is never sent)', { patch, warnings: ['w'], denial }],
  ])('writes the bytes JSON.stringify(reviewResponse) writes: %s', (_name, decision) => {
    expect(reviewResponseText('u-"1"', decision)).toBe(JSON.stringify(reviewResponse('u-"1"', decision)));
  });

  it('writes those bytes for any uid, warnings, denial message and patch values', () => {
    const decision = fc.record({
      patch: fc.array(fc.record({ op: fc.constant('add' as const), path: fc.string(), value: fc.jsonValue() }), { maxLength: 3 }),
      warnings: fc.array(fc.string(), { maxLength: 3 }),
      denial: fc.option(fc.record({ reason: fc.string(), message: fc.string() }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.string(), decision, (uid, d) => {
        const plain: Decision = d.denial ? d : { patch: d.patch, warnings: d.warnings };
        expect(reviewResponseText(uid, plain)).toBe(JSON.stringify(reviewResponse(uid, plain)));
      }),
    );
  });
});
