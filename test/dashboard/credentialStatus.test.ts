import { describe, expect, it } from 'vitest';
import { credentialStatus } from '../../src/dashboard/credentialStatus.js';
import type { Propagation } from '../../src/dashboard/propagation.js';
import { credential, now } from './fixtures.js';

const day = 24 * 3600 * 1000;
const at = (ms: number): string => new Date(now.getTime() + ms).toISOString();
const propagating: Propagation = {
  selector: 'team=ml',
  copies: [
    { namespace: 'a', state: 'current' },
    { namespace: 'b', state: 'missing' },
  ],
  pending: 1,
  namespacesKnown: true,
};

describe('credentialStatus', () => {
  it.each([
    ['a valid credential', {}, undefined, 'valid', 'valid', ''],
    ['a credential missing a required key', { type: 'aws', data: { access_key_id: 'AKIA' } }, undefined, 'issues', 'issues found', 'secret_access_key'],
    ['an unknown type', { type: 'no-such-type' }, undefined, 'issues', 'issues found', 'must be one of'],
    ['one that expired yesterday', { expiresAt: at(-day) }, undefined, 'expired', 'expired', 'expired at'],
    ['one that expires in 5 days', { expiresAt: at(5 * day + 60_000) }, undefined, 'expires-soon', 'expires in 5d', 'expires at'],
    ['one that expires in 30 days (beyond the 7d window)', { expiresAt: at(30 * day) }, undefined, 'valid', 'valid', ''],
    ['a cluster credential with a copy missing', {}, propagating, 'propagating', 'propagating', '1 of 2 copies current'],
    ['a broken one that is also propagating (worst first)', { type: 'aws', data: {} }, propagating, 'issues', 'issues found', 'access_key_id'],
    ['an expired one that is also propagating', { expiresAt: at(-1) }, propagating, 'expired', 'expired', ''],
  ] as const)('%s', (_, spec, propagation, state, text, detail) => {
    const status = credentialStatus(credential({ name: 'c', ...spec }), propagation, now);
    expect(status.state).toBe(state);
    expect(status.text).toBe(text);
    expect(status.detail).toContain(detail);
  });

  it('says how many more problems there are after the first', () => {
    const status = credentialStatus(credential({ name: 'c', type: 'aws', data: { access_key_id: '', secret_access_key: '', extra: 'x' } }), undefined, now);
    expect(status.detail).toMatch(/\(and \d+ more\)$/);
  });

});
