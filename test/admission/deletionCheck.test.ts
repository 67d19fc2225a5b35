import { describe, expect, it } from 'vitest';
import { deletionCheck, type DeletionRequest } from '../../src/admission/deletionCheck.js';
import { createUsageIndex } from '../../src/view/usageIndex.js';

function indexWith(count: number, namespace = 'ml') {
  const usage = createUsageIndex();
  usage.set({ namespace, kind: 'Deployment', name: 'web', credentials: ['aws-s3'] });
  for (let i = 1; i < count; i++) usage.set({ namespace, kind: 'Pod', name: `web-${i}`, credentials: ['aws-s3'] });
  return usage;
}

const request = (changes: Partial<DeletionRequest> = {}): DeletionRequest => ({
  name: 'aws-s3',
  namespace: 'ml',
  annotations: {},
  username: 'alice',
  ...changes,
});

describe('deletionCheck', () => {
  it('allows deleting a credential nobody uses', () => {
    expect(deletionCheck(request(), createUsageIndex()).denial).toBeUndefined();
  });

  it('denies while used, naming the users and the count', () => {
    const { denial } = deletionCheck(request(), indexWith(2));
    expect(denial?.reason).toBe('CredentialInUse');
    expect(denial?.message).toContain('used by 2 objects in namespace "ml": Deployment/web, Pod/web-1;');
    expect(denial?.message).toContain('credinject.dev/allow-delete="true"');
  });

  it('names users that reference the Secret by hand as direct references', () => {
    const usage = createUsageIndex();
    usage.set({ namespace: 'ml', kind: 'Pod', name: 'web-1', credentials: [], direct: ['aws-s3'] });
    usage.set({ namespace: 'ml', kind: 'Deployment', name: 'web', credentials: [], direct: ['aws-s3'] });
    expect(deletionCheck(request(), usage).denial?.message).toContain(
      'used by 2 objects in namespace "ml": Deployment/web (direct reference), Pod/web-1 (direct reference);',
    );
  });

  it('says who blocks the deletion, for the DeletionBlocked Event', () => {
    expect(deletionCheck(request(), indexWith(8)).blockedDeletion).toEqual({
      credential: 'aws-s3',
      namespace: 'ml',
      total: 8,
      users: ['Deployment/web', 'Pod/web-1', 'Pod/web-2', 'Pod/web-3', 'Pod/web-4'],
    });
    expect(deletionCheck(request(), createUsageIndex()).blockedDeletion).toBeUndefined();
  });

  it('names at most five users and counts the rest', () => {
    const { denial } = deletionCheck(request(), indexWith(8));
    expect(denial?.message).toContain('used by 8 objects');
    expect(denial?.message).toContain('Deployment/web, Pod/web-1, Pod/web-2, Pod/web-3, Pod/web-4 and 3 more');
    expect(denial?.message).not.toContain('Pod/web-5');
  });

  describe('while the usage view is being refreshed (a usage informer is not known good)', () => {
    it('denies deleting a credential it sees no user of, saying why and what to do', () => {
      const { denial } = deletionCheck(request(), createUsageIndex(), false);
      expect(denial?.reason).toBe('UsageViewRefreshing');
      expect(denial?.message).toContain('credential "aws-s3" in namespace "ml"');
      expect(denial?.message).toContain('is being refreshed');
      expect(denial?.message).toContain('retry shortly');
      expect(denial?.message).toContain('credinject.dev/allow-delete="true"');
    });

    it('still names the users it does know', () => {
      expect(deletionCheck(request(), indexWith(2), false).denial?.reason).toBe('CredentialInUse');
    });

    it.each([
      ['allow-delete', request({ annotations: { 'credinject.dev/allow-delete': 'true' } })],
      ['the namespace controller', request({ username: 'system:serviceaccount:kube-system:namespace-controller' })],
    ])('lets %s through', (_who, deletion) => {
      expect(deletionCheck(deletion, createUsageIndex(), false).denial).toBeUndefined();
    });
  });

  it('lets the break-glass annotation through', () => {
    expect(deletionCheck(request({ annotations: { 'credinject.dev/allow-delete': 'true' } }), indexWith(3)).denial).toBeUndefined();
  });

  it.each(['false', 'yes', 'True'])('treats allow-delete "%s" as not set', (value) => {
    expect(deletionCheck(request({ annotations: { 'credinject.dev/allow-delete': value } }), indexWith(1)).denial).toBeDefined();
  });

  it('never blocks namespace teardown by the namespace controller', () => {
    const username = 'system:serviceaccount:kube-system:namespace-controller';
    expect(deletionCheck(request({ username }), indexWith(3)).denial).toBeUndefined();
  });

  it.each([
    'system:serviceaccount:kube-system:generic-garbage-collector',
    'system:kube-controller-manager',
  ])('lets the controller %s delete a used credential (its owner was deleted)', (username) => {
    expect(deletionCheck(request({ username }), indexWith(2)).denial).toBeUndefined();
  });

  it('still blocks other service accounts of kube-system', () => {
    expect(deletionCheck(request({ username: 'system:serviceaccount:kube-system:replicaset-controller' }), indexWith(2)).denial?.reason).toBe('CredentialInUse');
  });

  it('counts only users in the Secret namespace', () => {
    expect(deletionCheck(request(), indexWith(3, 'other')).denial).toBeUndefined();
  });
});
