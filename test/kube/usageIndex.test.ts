import { describe, expect, it } from 'vitest';
import { createUsageIndex } from '../../src/kube/usageIndex.js';

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
