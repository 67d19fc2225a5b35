import { describe, expect, it } from 'vitest';
import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import { dashboardCredential } from '../../src/dashboard/dashboardCredential.js';
import { credentialDetail } from '../../src/dashboard/detail.js';
import { credentialRows } from '../../src/dashboard/rows.js';
import type { UserRecord } from '../../src/dashboard/snapshot.js';
import { versionedSource } from '../../src/view/versionedUsers.js';
import { digestKey, marker, secret, snapshot } from './fixtures.js';

const sharedKey = Buffer.alloc(32, 9);
const before = secret({ name: 's3', namespace: 'ml', type: 'aws', data: { access_key_id: 'AKIA-MARKER', secret_access_key: marker.awsSecret } });
const after = secret({ name: 's3', namespace: 'ml', type: 'aws', data: { access_key_id: 'AKIA-MARKER', secret_access_key: 'rotated-MARKER' } });

/** A Pod as the live view keeps it, injected while s3 held `data`, taking `key` as env. */
function pod(name: string, data: typeof before, key: string): UserRecord {
  const object = {
    metadata: { name, namespace: 'ml', annotations: { 'credinject.dev/versions': `s3=${versionDigest(keyDigests(data, sharedKey), [key])}` } },
    spec: { containers: [{ name: 'app', env: [{ name: 'V', valueFrom: { secretKeyRef: { name: 's3', key } } }] }] },
  };
  return { namespace: 'ml', kind: 'Pod', name, credentials: [], direct: ['s3'], request: {}, versioned: versionedSource(object, 'Pod') };
}
const users = [pod('old', before, 'secret_access_key'), pod('new', after, 'secret_access_key')];

describe('the Stale column and the detail', () => {
  const withKey = snapshot([dashboardCredential(after, digestKey, sharedKey)], { users });

  it('counts the users running an older version of a key they take as env', () => {
    expect(credentialRows(withKey).map((row) => [row.id, row.stale])).toEqual([['ml/s3', 1]]);
  });

  it('gives each user of the detail its standing and the changed key, by name', () => {
    const detail = credentialDetail(withKey, 'ml/s3')!;
    expect(detail.row.stale).toBe(1);
    expect(detail.users.map((user) => [user.name, user.version])).toEqual([
      ['new', { state: 'current', text: 'current' }],
      ['old', { state: 'stale', changedKeys: ['secret_access_key'], exact: true, text: 'stale: secret_access_key changed' }],
    ]);
  });

  it('is "?" (null) and every user unknown without the digest key', () => {
    const withoutKey = snapshot([dashboardCredential(after, digestKey)], { users });
    expect(credentialRows(withoutKey)[0]!.stale).toBeNull();
    expect(credentialDetail(withoutKey, 'ml/s3')!.users.map((user) => user.version?.text)).toEqual(['unknown: the digest key could not be read', 'unknown: the digest key could not be read']);
  });

  it('sends no value, digest or key to the page', () => {
    const text = JSON.stringify([credentialRows(withKey), credentialDetail(withKey, 'ml/s3')]);
    const digests = [...Object.values(keyDigests(after, sharedKey)), ...users.map((user) => Object.values(user.versioned!.versions)[0]!)];
    for (const value of ['MARKER', marker.awsSecret, sharedKey.toString('base64'), sharedKey.toString('hex'), ...digests]) expect(text).not.toContain(value);
  });
});
