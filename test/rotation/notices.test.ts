import { describe, expect, it } from 'vitest';
import { heldEvent, rotatedEvent } from '../../src/rotation/notices.js';

describe('rotation Events', () => {
  it.each([
    [true, 'restarted: credential "aws-s3" changed secret_access_key, taken as env (restarted-for aws-s3=0123456789abcdef)'],
    [false, 'restarted: its pods run an older version of credential "aws-s3" (secret_access_key, taken as env) (restarted-for aws-s3=0123456789abcdef)'],
  ])('CredentialRotated names the credential and keys (keys known: %s)', (keysChanged, note) => {
    const event = rotatedEvent({
      kind: 'Deployment',
      namespace: 'ml',
      name: 'api',
      uid: 'u1',
      restartedFor: 'aws-s3=0123456789abcdef',
      reasons: [{ credential: 'aws-s3', digest: '0123456789abcdef', keys: ['secret_access_key'], keysChanged }],
    });
    expect(event).toMatchObject({ type: 'Normal', reason: 'CredentialRotated', regarding: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'api', uid: 'u1' } });
    expect(event.note).toBe(note);
  });

  it('RotationHeld is a Warning on the Secret naming the rules and who waits', () => {
    const workloads = ['Deployment/a', 'Deployment/b', 'Deployment/c', 'Deployment/d', 'Deployment/e', 'Deployment/f'];
    const event = heldEvent({ namespace: 'ml', credential: 'aws-s3', rules: ['missing-key'], digest: 'd', workloads });
    expect(event).toMatchObject({ type: 'Warning', reason: 'RotationHeld', regarding: { apiVersion: 'v1', kind: 'Secret', namespace: 'ml', name: 'aws-s3' } });
    expect(event.note).toContain('breaks missing-key');
    expect(event.note).toContain('Deployment/a, Deployment/b, Deployment/c, Deployment/d, Deployment/e and 1 more keep running the previous data');
  });
});
