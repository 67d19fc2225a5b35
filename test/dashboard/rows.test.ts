import { describe, expect, it } from 'vitest';
import { keys } from '../../src/contract/keys.js';
import { credentialRows } from '../../src/dashboard/rows.js';
import type { NamespaceRecord, UserRecord } from '../../src/dashboard/snapshot.js';
import { credential, marker, snapshot } from './fixtures.js';

const shared = credential({
  name: 'hf-shared',
  namespace: 'credinject',
  labels: { [keys.scopeLabel]: 'cluster' },
  annotations: { [keys.namespaceSelector]: 'team=ml', [keys.description]: 'one token for every ML team' },
  createdBy: 'kubectl-create',
});
const mirror = credential({
  name: 'hf-shared',
  namespace: 'ml-a',
  labels: { [keys.mirrorLabel]: 'true' },
  annotations: { [keys.mirroredFrom]: 'credinject/hf-shared', [keys.mirrorHash]: 'sha256:abc' },
  createdBy: 'credinject-mirror',
});
const aws = credential({ name: 's3', namespace: 'ml-a', type: 'aws', data: { access_key_id: 'AKIA', secret_access_key: marker.awsSecret } });
const users: UserRecord[] = [
  { namespace: 'ml-a', kind: 'Deployment', name: 'trainer', credentials: ['s3', 'hf-shared'], direct: [], request: {} },
  { namespace: 'ml-a', kind: 'Pod', name: 'trainer-abc', credentials: ['s3'], direct: ['s3'], request: {} },
  { namespace: 'ml-b', kind: 'Pod', name: 'elsewhere', credentials: ['s3'], direct: [], request: {} },
];
const namespaces: NamespaceRecord[] = [
  { name: 'credinject', labels: {}, terminating: false },
  { name: 'ml-a', labels: { team: 'ml' }, terminating: false },
  { name: 'ml-b', labels: { team: 'ml' }, terminating: false },
];
const view = snapshot([aws, mirror, shared], { users, namespaces });
const rows = credentialRows(view);
const row = (id: string) => rows.find((r) => r.id === id)!;

describe('credentialRows', () => {
  it('lists every credential by namespace then name', () => {
    expect(rows.map((r) => r.id)).toEqual(['credinject/hf-shared', 'ml-a/hf-shared', 'ml-a/s3']);
  });

  it.each([
    ['credinject/hf-shared', 'cluster', 'cluster (team=ml)'],
    ['ml-a/hf-shared', 'mirror', 'mirror of credinject/hf-shared'],
    ['ml-a/s3', 'namespace', 'namespace'],
  ])('gives %s the scope %s (%s)', (id, kind, text) => {
    expect(row(id).scope).toEqual({ kind, text });
  });

  it.each([
    ['credinject/hf-shared', 'propagating'],
    ['ml-a/hf-shared', 'valid'],
    ['ml-a/s3', 'valid'],
  ])('gives %s the status %s', (id, state) => {
    expect(row(id).status.state).toBe(state);
  });

  it.each([
    ['ml-a/s3', 2],
    ['ml-a/hf-shared', 1],
    ['credinject/hf-shared', 0],
  ])('counts the users of %s in its own namespace: %d', (id, count) => {
    expect(row(id).inUse).toBe(count);
  });

  it('carries description, creator, creation time, and no stale users when nobody uses it', () => {
    expect(row('credinject/hf-shared')).toMatchObject({
      description: 'one token for every ML team',
      createdBy: 'kubectl-create',
      createdAt: '2026-11-01T10:00:00.000Z',
      stale: 0,
    });
    expect(row('ml-a/s3').createdBy).toBe('');
  });

  it('holds no value, digest or other tool annotation', () => {
    const text = JSON.stringify(rows);
    for (const value of [...Object.values(marker), shared.dataDigest, 'sha256:abc', 'last-applied']) expect(text).not.toContain(value);
  });
});
