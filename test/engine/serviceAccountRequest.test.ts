import { describe, expect, it } from 'vitest';
import { podServiceAccountName, requestAnnotationsOf, withServiceAccountRequest } from '../../src/engine/serviceAccountRequest.js';

describe('the ServiceAccount a Pod runs as', () => {
  it.each([
    [{ spec: { serviceAccountName: 'builder' } }, 'builder'],
    [{ spec: { serviceAccount: 'legacy' } }, 'legacy'],
    [{ spec: { serviceAccountName: 'new', serviceAccount: 'old' } }, 'new'],
    [{ spec: {} }, 'default'],
    [{ spec: { serviceAccountName: '' } }, 'default'],
    [{ spec: { serviceAccountName: 7 } }, 'default'],
    [{ spec: null }, 'default'],
    [null, 'default'],
  ])('of %j is %s', (pod, name) => {
    expect(podServiceAccountName(pod)).toBe(name);
  });
});

describe('request annotations of a ServiceAccount', () => {
  it('keeps the keys a Pod asks with and drops everything else', () => {
    expect(
      requestAnnotationsOf({
        'credinject.dev/inject': 'aws',
        'credinject.dev/render': 'kube:kubeconfig',
        'mount-path.credinject.dev/aws': '/aws',
        'credinject.dev/status': 'injected',
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x',
      }),
    ).toEqual({ 'credinject.dev/inject': 'aws', 'credinject.dev/render': 'kube:kubeconfig', 'mount-path.credinject.dev/aws': '/aws' });
    expect(requestAnnotationsOf(undefined)).toEqual({});
  });
});

describe('merging a ServiceAccount request into a Pod', () => {
  const pod = (annotations?: Record<string, string>) => ({ metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec: { containers: [] } });

  it('copies the ServiceAccount annotations into a Pod that has none', () => {
    const merged = withServiceAccountRequest(pod(), { 'credinject.dev/inject': 'aws' });
    expect(merged.metadata.annotations).toEqual({ 'credinject.dev/inject': 'aws' });
  });

  it('lets the Pod win key by key: its own inject list replaces the ServiceAccount one, other keys still come', () => {
    const merged = withServiceAccountRequest(pod({ 'credinject.dev/inject': 'hf', team: 'ml' }), {
      'credinject.dev/inject': 'aws',
      'mount-path.credinject.dev/hf': '/hf',
    });
    expect(merged.metadata.annotations).toEqual({ 'credinject.dev/inject': 'hf', team: 'ml', 'mount-path.credinject.dev/hf': '/hf' });
  });

  it('returns the Pod itself when nothing is added, and never touches the Pod it was given', () => {
    const own = pod({ 'credinject.dev/inject': 'hf' });
    const frozen = structuredClone(own);
    expect(withServiceAccountRequest(own, undefined)).toBe(own);
    expect(withServiceAccountRequest(own, { 'credinject.dev/inject': 'aws' })).toBe(own);
    const merged = withServiceAccountRequest(own, { 'credinject.dev/containers': 'app' });
    expect(merged).not.toBe(own);
    expect(merged.spec).toBe(own.spec);
    expect(own).toEqual(frozen);
  });

  it('copies only request keys, and leaves a Pod with hostile annotations alone', () => {
    expect(withServiceAccountRequest(pod(), { 'credinject.dev/status': 'injected', other: 'x' }).metadata).toEqual({ name: 'p' });
    const hostile = { metadata: { annotations: 'not a map' as unknown as Record<string, string> } };
    expect(withServiceAccountRequest(hostile, { 'credinject.dev/inject': 'aws' })).toBe(hostile);
  });
});
