import { describe, expect, it } from 'vitest';
import { parseReview } from '../../src/admission/review.js';
import { loadReview } from './reviews.js';

const fixtures = [
  'pod-create',
  'deployment-create',
  'statefulset-create',
  'daemonset-create',
  'replicaset-create',
  'job-create',
  'cronjob-create',
  'secret-create',
  'secret-update-invalid',
  'secret-delete',
];

describe('parseReview', () => {
  it.each(fixtures)('reads the recorded %s review', (name) => {
    const parsed = parseReview(loadReview(name));
    expect('review' in parsed && parsed.review.request.uid).toBe(loadReview(name).request.uid);
  });

  it('keeps every field of the object, so a patch never removes what zod would strip', () => {
    const body = loadReview('deployment-create');
    const parsed = parseReview(body);
    expect('review' in parsed && parsed.review.request.object).toEqual(body.request.object);
  });

  it('reads DELETE with a null object and the old object', () => {
    const parsed = parseReview(loadReview('secret-delete'));
    if (!('review' in parsed)) throw new Error(parsed.error);
    expect(parsed.review.request.object).toBeNull();
    expect(parsed.review.request.oldObject).toMatchObject({ metadata: { name: 'aws-s3' } });
  });

  it.each([
    ['another apiVersion', { ...loadReview('pod-create'), apiVersion: 'admission.k8s.io/v1beta1' }, 'apiVersion'],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, 'request'],
    ['a request without uid', { ...loadReview('pod-create'), request: { ...loadReview('pod-create').request, uid: '' } }, 'request.uid'],
    ['an unknown operation', { ...loadReview('pod-create'), request: { ...loadReview('pod-create').request, operation: 'PATCH' } }, 'request.operation'],
    ['a JSON array', [1, 2], '(body)'],
  ])('rejects %s with a message naming the field', (_name, body, field) => {
    const parsed = parseReview(body);
    expect('error' in parsed && parsed.error).toContain(field);
  });

  it('never echoes input values in its message', () => {
    const body = loadReview('secret-create');
    const request = { ...body.request, uid: 42, object: { data: { token: 'MARKER-do-not-echo' } } };
    const parsed = parseReview({ ...body, request });
    expect('error' in parsed && parsed.error).not.toContain('MARKER');
  });
});
