import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUsageIndex } from '../../src/view/usageIndex.js';

describe('usage index', () => {
  it('adds users of a credential', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: ['aws', 'hf'] });
    expect(index.usersOf('ml', 'aws')).toEqual({ total: 2, users: ['Deployment/web', 'Pod/a'] });
    expect(index.usersOf('ml', 'hf')).toEqual({ total: 1, users: ['Deployment/web'] });
  });

  it('replaces what an object referenced when it is updated', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Job', name: 'train', credentials: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Job', name: 'train', credentials: ['hf'] });
    expect(index.usersOf('ml', 'aws').total).toBe(0);
    expect(index.usersOf('ml', 'hf').users).toEqual(['Job/train']);
  });

  it('forgets an object updated to reference nothing', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: [] });
    expect(index.sizes()).toEqual({ users: 0, credentials: 0 });
  });

  it('forgets a deleted object', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Pod', name: 'b', credentials: ['aws'] });
    index.remove('ml', 'Pod', 'a');
    index.remove('ml', 'Pod', 'never-there');
    expect(index.usersOf('ml', 'aws')).toEqual({ total: 1, users: ['Pod/b'] });
  });

  it('keeps namespaces apart', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'] });
    index.set({ namespace: 'other', kind: 'Pod', name: 'a', credentials: ['aws'] });
    index.remove('other', 'Pod', 'a');
    expect(index.usersOf('ml', 'aws').total).toBe(1);
    expect(index.usersOf('other', 'aws').total).toBe(0);
  });

  it('keeps kinds apart: a Pod and a Job of one name are two users', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'x', credentials: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Job', name: 'x', credentials: ['aws'] });
    expect(index.usersOf('ml', 'aws').users).toEqual(['Job/x', 'Pod/x']);
  });

  it('lists workloads before their pods, then by name', () => {
    const index = createUsageIndex();
    for (const [kind, name] of [['Pod', 'b'], ['ReplicaSet', 'web-1'], ['Pod', 'a'], ['CronJob', 'nightly'], ['Deployment', 'web']] as const) {
      index.set({ namespace: 'ml', kind, name, credentials: ['aws'] });
    }
    expect(index.usersOf('ml', 'aws').users).toEqual(['Deployment/web', 'CronJob/nightly', 'ReplicaSet/web-1', 'Pod/a', 'Pod/b']);
  });

  it('counts a credential named twice once', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws', 'aws'] });
    expect(index.usersOf('ml', 'aws').total).toBe(1);
    expect(index.sizes()).toEqual({ users: 1, credentials: 1 });
  });
});

describe('usage index: references by hand', () => {
  it('names a user that references a credential by hand as a direct reference', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: [], direct: ['aws'] });
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'] });
    expect(index.usersOf('ml', 'aws')).toEqual({ total: 2, users: ['Deployment/web (direct reference)', 'Pod/a'] });
  });

  it('counts an object that asks for a credential and also references it by hand once, the plain way', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Pod', name: 'a', credentials: ['aws'], direct: ['aws', 'tls'] });
    expect(index.usersOf('ml', 'aws')).toEqual({ total: 1, users: ['Pod/a'] });
    expect(index.usersOf('ml', 'tls')).toEqual({ total: 1, users: ['Pod/a (direct reference)'] });
    expect(index.sizes()).toEqual({ users: 1, credentials: 2 });
  });

  it('takes back references by hand when the object changes or goes away', () => {
    const index = createUsageIndex();
    index.set({ namespace: 'ml', kind: 'Job', name: 'train', credentials: [], direct: ['aws', 'hf'] });
    index.set({ namespace: 'ml', kind: 'Job', name: 'train', credentials: ['hf'], direct: [] });
    expect(index.usersOf('ml', 'aws').total).toBe(0);
    expect(index.usersOf('ml', 'hf').users).toEqual(['Job/train']);
    index.set({ namespace: 'ml', kind: 'Job', name: 'train', credentials: [], direct: ['hf'] });
    expect(index.usersOf('ml', 'hf').users).toEqual(['Job/train (direct reference)']);
    index.remove('ml', 'Job', 'train');
    expect(index.sizes()).toEqual({ users: 0, credentials: 0 });
  });
});

describe('usersOf with a limit', () => {
  const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet', 'Pod', 'Other'];
  const user = fc.record({ kind: fc.constantFrom(...kinds), name: fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/) });

  it('names the same first users as sorting them all, and counts every one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(user, { selector: (u) => `${u.kind}/${u.name}`, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (users, limit) => {
        const index = createUsageIndex();
        for (const u of users) index.set({ namespace: 'ns', kind: u.kind, name: u.name, credentials: ['c'] });
        const all = index.usersOf('ns', 'c');
        const first = index.usersOf('ns', 'c', limit);
        expect(first.total).toBe(users.length);
        expect(first.users).toEqual(all.users.slice(0, limit));
      }),
      { numRuns: 300 },
    );
  });
});
