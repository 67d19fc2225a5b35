import { describe, expect, it } from 'vitest';
import { dashboardCredential, newDigestKey } from '../../src/dashboard/dashboardCredential.js';
import { marker, secret } from './fixtures.js';

describe('dashboardCredential', () => {
  it('keeps the webhook projection (creator included) and a digest keyed per process', () => {
    const input = secret({ name: 'hf', createdBy: 'kubectl-create' });
    const first = dashboardCredential(input, newDigestKey());
    const second = dashboardCredential(input, newDigestKey());
    expect(first.info.keys).toEqual(['token']);
    expect(first.info.createdBy).toBe('kubectl-create');
    expect(first.dataDigest).not.toBe(second.dataDigest);
    expect(JSON.stringify(first)).not.toContain(marker.hf);
    expect(JSON.stringify(first)).not.toContain(Buffer.from(marker.hf).toString('base64'));
  });
});
