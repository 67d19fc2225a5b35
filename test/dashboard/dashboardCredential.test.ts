import { describe, expect, it } from 'vitest';
import { creatorOf, dashboardCredential, newDigestKey } from '../../src/dashboard/dashboardCredential.js';
import { marker, secret } from './fixtures.js';

describe('creatorOf', () => {
  it.each([
    ['no managedFields', undefined, undefined],
    ['one entry', [{ manager: 'kubectl-create', operation: 'Update' }], 'kubectl-create'],
    [
      'the earliest entry, whatever the order',
      [
        { manager: 'kubectl-edit', operation: 'Update', time: new Date('2026-11-03T00:00:00Z') },
        { manager: 'helm', operation: 'Update', time: new Date('2026-11-01T00:00:00Z') },
      ],
      'helm',
    ],
    ['times as strings (watch events are plain JSON)', [{ manager: 'b', time: '2026-11-03T00:00:00Z' }, { manager: 'a', time: '2026-11-01T00:00:00Z' }], 'a'],
  ])('%s', (_, fields, creator) => {
    expect(creatorOf(fields as never)).toBe(creator);
  });
});

describe('dashboardCredential', () => {
  it('keeps the webhook projection plus the creator, and a digest keyed per process', () => {
    const input = secret({ name: 'hf', createdBy: 'kubectl-create' });
    const first = dashboardCredential(input, newDigestKey());
    const second = dashboardCredential(input, newDigestKey());
    expect(first.info.keys).toEqual(['token']);
    expect(first.createdBy).toBe('kubectl-create');
    expect(first.dataDigest).not.toBe(second.dataDigest);
    expect(JSON.stringify(first)).not.toContain(marker.hf);
    expect(JSON.stringify(first)).not.toContain(Buffer.from(marker.hf).toString('base64'));
  });
});
