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

  it('reads a CREATE that leaves oldObject out, as clients other than the API server do', () => {
    const { oldObject: _left, ...request } = loadReview('pod-create').request;
    const parsed = parseReview({ ...loadReview('pod-create'), request });
    if (!('review' in parsed)) throw new Error(parsed.error);
    expect(parsed.review.request.oldObject).toBeUndefined();
  });

  it('hands on the object itself, not a copy (nothing to strip, nothing to copy)', () => {
    const body = loadReview('pod-create');
    const parsed = parseReview(body);
    expect('review' in parsed && parsed.review.request.object).toBe(body.request.object);
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

  const withRequest = (name: string, changes: Record<string, unknown>) => ({ ...loadReview(name), request: { ...loadReview(name).request, ...changes } });

  it.each([
    ['CREATE with object null', withRequest('pod-create', { object: null }), 'request.object: must be an object on CREATE'],
    ['CREATE without object', withRequest('deployment-create', { object: undefined }), 'request.object: must be an object on CREATE'],
    ['UPDATE with object null', withRequest('secret-update-invalid', { object: null }), 'request.object: must be an object on UPDATE'],
    ['UPDATE without oldObject', withRequest('secret-update-invalid', { oldObject: null }), 'request.oldObject: must be an object on UPDATE'],
    ['DELETE with oldObject null', withRequest('secret-delete', { oldObject: null }), 'request.oldObject: must be an object on DELETE'],
    ['DELETE with oldObject {}', withRequest('secret-delete', { oldObject: {} }), 'request.oldObject.metadata: must be an object on DELETE'],
    ['DELETE with oldObject.metadata null', withRequest('secret-delete', { oldObject: { metadata: null } }), 'request.oldObject.metadata: must be an object on DELETE'],
    ['CREATE with an array as object', withRequest('pod-create', { object: [] }), 'request.object'],
  ])('rejects %s: a review the API server never sends', (_name, body, message) => {
    const parsed = parseReview(body);
    expect('error' in parsed && parsed.error).toContain(message);
  });

  it.each([null, 'str', 123, true])('says a JSON %j body is JSON, just not an AdmissionReview', (body) => {
    const parsed = parseReview(body);
    expect('error' in parsed && parsed.error).toMatch(/^not an admission.k8s.io\/v1 AdmissionReview: \(body\): .*expected object/);
  });

  it('never echoes input values in its message', () => {
    const body = loadReview('secret-create');
    const request = { ...body.request, uid: 42, object: { data: { token: 'MARKER-do-not-echo' } } };
    const parsed = parseReview({ ...body, request });
    expect('error' in parsed && parsed.error).not.toContain('MARKER');
  });
});
