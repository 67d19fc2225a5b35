import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeApiError } from '../../src/kube/describeApiError.js';

describe('describeApiError', () => {
  it('keeps the HTTP code and the Status message of an API error', () => {
    const body = JSON.stringify({
      kind: 'Status',
      reason: 'Forbidden',
      message: 'mutatingwebhookconfigurations.admissionregistration.k8s.io "credinject" is forbidden: User "x" cannot patch resource',
    });
    expect(describeApiError(new ApiException(403, 'Forbidden', body, { 'audit-id': 'a' }))).toBe(
      'HTTP 403 Forbidden: mutatingwebhookconfigurations.admissionregistration.k8s.io "credinject" is forbidden: User "x" cannot patch resource',
    );
  });

  it('falls back to the first line of other errors', () => {
    expect(describeApiError(new Error('connect ECONNREFUSED 127.0.0.1:1\nmore'))).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });

  it('copes with a body that is not JSON', () => {
    expect(describeApiError(new ApiException(500, 'x', 'oops', {}))).toBe('HTTP 500');
  });
});
