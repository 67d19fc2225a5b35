import { describe, expect, it } from 'vitest';
import type { CredentialInfo } from '../../src/credentials/credentialInfo.js';
import { createCredentialStore } from '../../src/view/credentialStore.js';

const info = (namespace: string, name: string): CredentialInfo => ({
  name, namespace, type: 'aws', secretType: 'Opaque', keys: ['access_key_id'], labels: {}, annotations: {}, problems: [],
});

describe('credential store', () => {
  it('finds a credential only in its own namespace', () => {
    const store = createCredentialStore();
    store.set(info('ml', 'aws'));
    expect(store.get('ml', 'aws')?.name).toBe('aws');
    expect(store.get('other', 'aws')).toBeUndefined();
  });

  it('replaces on set and counts each credential once', () => {
    const store = createCredentialStore();
    store.set(info('ml', 'aws'));
    store.set({ ...info('ml', 'aws'), keys: ['x'] });
    expect(store.size()).toBe(1);
    expect(store.get('ml', 'aws')?.keys).toEqual(['x']);
  });

  it('deletes, and ignores deleting what is not there', () => {
    const store = createCredentialStore();
    store.set(info('ml', 'aws'));
    store.delete('ml', 'nope');
    store.delete('ml', 'aws');
    expect(store.size()).toBe(0);
    expect(store.list()).toEqual([]);
  });

  it('lists one namespace or all', () => {
    const store = createCredentialStore();
    store.set(info('ml', 'a'));
    store.set(info('ml', 'b'));
    store.set(info('other', 'a'));
    expect(store.list('ml').map((c) => c.name)).toEqual(['a', 'b']);
    expect(store.list()).toHaveLength(3);
  });
});
