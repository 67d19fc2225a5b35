import { describe, expect, it } from 'vitest';
import type { CredentialInfo } from '../../src/credentials/credentialInfo.js';
import { versionedSource, versionedUser } from '../../src/view/versionedUsers.js';

const aws: CredentialInfo = {
  name: 'aws-s3',
  namespace: 'ml',
  type: 'aws',
  secretType: 'Opaque',
  keys: ['access_key_id', 'secret_access_key'],
  labels: {},
  annotations: {},
  problems: [],
};
const lookup = { get: (namespace: string, name: string) => (namespace === 'ml' && name === 'aws-s3' ? aws : undefined) };

describe('versionedSource', () => {
  it("keeps a pod's owner, its versions and what its spec takes, never an env value", () => {
    const pod = {
      metadata: {
        name: 'web-abc-1',
        namespace: 'ml',
        annotations: { 'credinject.dev/versions': 'aws-s3=0123456789abcdef' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true, apiVersion: 'apps/v1', uid: 'u' }],
      },
      spec: { containers: [{ name: 'c', env: [{ name: 'PLAIN', value: 'marker-plain-value' }, { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } }] }] },
    };
    const source = versionedSource(pod, 'Pod');
    expect(JSON.stringify(source)).not.toContain('marker-plain-value');
    expect(versionedUser(source, lookup)).toEqual({
      kind: 'Pod',
      namespace: 'ml',
      name: 'web-abc-1',
      owner: { kind: 'ReplicaSet', name: 'web-abc' },
      versions: { 'aws-s3': '0123456789abcdef' },
      restartedFor: {},
      consumption: { 'aws-s3': { env: ['secret_access_key'], files: [], rendered: [], pullSecret: false } },
    });
  });

  it("keeps a workload's restarted-for and how its template asks for the credential", () => {
    const deployment = {
      metadata: { name: 'web', namespace: 'ml' },
      spec: { template: { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3', 'credinject.dev/restarted-for': 'aws-s3=fedcba9876543210' } }, spec: { containers: [{ name: 'c' }] } } },
    };
    const user = versionedUser(versionedSource(deployment, 'Deployment'), lookup);
    expect(user.restartedFor).toEqual({ 'aws-s3': 'fedcba9876543210' });
    expect(user.versions).toEqual({});
    expect(user.consumption['aws-s3']?.env.length).toBeGreaterThan(0);
  });
});
