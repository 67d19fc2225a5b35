import { describe, expect, it } from 'vitest';
import { podState, replicaSetState, workloadState } from '../../src/rotation/resources.js';

const env = [{ name: 'K', value: 'a-literal-value-never-kept', valueFrom: undefined }, { name: 'S', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } }];

describe('what the rotation informers keep', () => {
  it('of a Deployment: names, opt-out, restarted-for and the consumption source, no spec or env value', () => {
    const state = workloadState(
      {
        metadata: { name: 'api', namespace: 'ml', uid: 'u1', annotations: { 'credinject.dev/on-rotation': ' none ' } },
        spec: { template: { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3', 'credinject.dev/restarted-for': 'aws-s3=abc,bad' } }, spec: { containers: [{ name: 'app', env }] } } },
      } as never,
      'Deployment',
    );
    expect(state).toEqual({
      kind: 'Deployment',
      namespace: 'ml',
      name: 'api',
      uid: 'u1',
      onRotation: 'none',
      restartedFor: { 'aws-s3': 'abc' },
      source: { request: { 'credinject.dev/inject': 'aws-s3' }, serviceAccount: 'default', references: [{ name: 'aws-s3', mode: 'env', keys: ['secret_access_key'] }] },
    });
    expect(JSON.stringify(state)).not.toContain('a-literal-value-never-kept');
  });

  it.each([
    ['a Pod referencing no Secret is dropped', { metadata: { name: 'p', namespace: 'ml' }, spec: { containers: [{ name: 'app' }] } }, undefined],
    [
      'a Pod keeps its controller owner and versions',
      {
        metadata: { name: 'p', namespace: 'ml', annotations: { 'credinject.dev/versions': 'aws-s3=0123' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }, { kind: 'Other', name: 'x' }] },
        spec: { containers: [{ name: 'app', env }] },
      },
      { namespace: 'ml', name: 'p', owner: { kind: 'ReplicaSet', name: 'rs' }, versions: { 'aws-s3': '0123' }, source: { request: {}, references: [{ name: 'aws-s3', mode: 'env', keys: ['secret_access_key'] }] } },
    ],
  ])('%s', (_name, pod, expected) => {
    expect(podState(pod as never)).toEqual(expected);
  });

  it.each([
    ['a ReplicaSet of a Deployment names it', [{ kind: 'Deployment', name: 'api', controller: true }], { namespace: 'ml', name: 'rs', deployment: 'api' }],
    ['a ReplicaSet of nothing is dropped', undefined, undefined],
  ])('%s', (_name, ownerReferences, expected) => {
    expect(replicaSetState({ metadata: { name: 'rs', namespace: 'ml', ownerReferences } } as never)).toEqual(expected);
  });
});
