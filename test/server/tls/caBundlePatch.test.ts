import { describe, expect, it } from 'vitest';
import { webhookCaBundlePatch } from '../../../src/server/tls/caBundlePatch.js';

describe('webhookCaBundlePatch', () => {
  it('writes every webhook entry, each guarded by a test of its name', () => {
    expect(webhookCaBundlePatch([{ name: 'a' }, { name: 'b', caBundle: 'old' }], 'new')).toEqual([
      { op: 'test', path: '/webhooks/0/name', value: 'a' },
      { op: 'add', path: '/webhooks/0/clientConfig/caBundle', value: 'new' },
      { op: 'test', path: '/webhooks/1/name', value: 'b' },
      { op: 'add', path: '/webhooks/1/clientConfig/caBundle', value: 'new' },
    ]);
  });

  it('is empty when every entry has the bundle already (no write at every restart)', () => {
    expect(webhookCaBundlePatch([{ name: 'a', caBundle: 'x' }, { name: 'b', caBundle: 'x' }], 'x')).toEqual([]);
  });
});
