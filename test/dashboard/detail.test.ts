import { describe, expect, it } from 'vitest';
import { keys } from '../../src/contract/keys.js';
import { credentialDetail, userDetail } from '../../src/dashboard/detail.js';
import type { UserRecord } from '../../src/dashboard/snapshot.js';
import { credential, marker, snapshot } from './fixtures.js';

const shared = credential({ name: 'hf', namespace: 'credinject', labels: { [keys.scopeLabel]: 'cluster' }, annotations: { [keys.namespaceSelector]: 'team=ml' } });
const copy = (namespace: string, token: string) =>
  credential({ name: 'hf', namespace, data: { token }, labels: { [keys.mirrorLabel]: 'true' }, annotations: { [keys.mirroredFrom]: 'credinject/hf', [keys.mirrorHash]: 'sha256:abc' } });
const s3 = credential({
  name: 's3',
  namespace: 'ml-a',
  type: 'aws',
  data: { access_key_id: 'AKIA', secret_access_key: marker.awsSecret, region: 'eu-west-1' },
  annotations: { [keys.description]: 'read-only bucket' },
  expiresAt: '2027-01-01T00:00:00.000Z',
});
const inject = (names: string, extra: Record<string, string> = {}) => ({ [keys.inject]: names, ...extra });
const users: UserRecord[] = [
  { namespace: 'ml-a', kind: 'Deployment', name: 'trainer', credentials: ['s3'], direct: [], request: inject('s3') },
  { namespace: 'ml-a', kind: 'Job', name: 'renders', credentials: ['s3'], direct: [], request: inject('s3', { [keys.render]: 's3:aws-credentials' }) },
  { namespace: 'ml-a', kind: 'Pod', name: 'debug', credentials: [], direct: ['s3', 'plain-secret'], request: {} },
  { namespace: 'ml-a', kind: 'Job', name: 'asks-missing', credentials: ['gone'], direct: [], request: inject('gone') },
  { namespace: 'ml-b', kind: 'Pod', name: 'other-namespace', credentials: ['s3'], direct: [], request: inject('s3') },
];
const view = snapshot([shared, copy('ml-a', marker.hf), copy('ml-b', 'hf_old'), s3], { users });

describe('credentialDetail', () => {
  const detail = credentialDetail(view, 'ml-a/s3')!;

  it('lists keys, settings and what it injects, never a value', () => {
    expect(detail.keys).toEqual(['access_key_id', 'region', 'secret_access_key']);
    expect(detail.settings).toEqual([{ key: keys.description, value: 'read-only bucket' }]);
    expect(detail.injects?.env).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION', 'AWS_REGION']);
    expect(detail.injects?.pullSecret).toBe(false);
    expect(detail.expiresAt).toBe('2027-01-01T00:00:00.000Z');
  });

  it('lists its users in its namespace with how they reference it, linked to their detail', () => {
    expect(detail.users).toEqual([
      { id: 'ml-a/Deployment/trainer', namespace: 'ml-a', kind: 'Deployment', name: 'trainer', via: 'annotation', how: ['env'] },
      { id: 'ml-a/Job/renders', namespace: 'ml-a', kind: 'Job', name: 'renders', via: 'annotation', how: ['env', 'rendered'] },
      { id: 'ml-a/Pod/debug', namespace: 'ml-a', kind: 'Pod', name: 'debug', via: 'direct reference', how: ['direct reference'] },
    ]);
  });

  it.each([
    ['ml-a/hf', true],
    ['ml-b/hf', false],
  ])('says whether the copy %s holds its source data: %s', (id, current) => {
    const copyDetail = credentialDetail(view, id)!;
    expect(copyDetail.mirrorOf).toEqual({ id: 'credinject/hf', current });
    expect(copyDetail.settings.map((s) => s.key)).not.toContain(keys.mirrorHash);
  });

  it('gives a copy whose source is not visible an unknown currency', () => {
    expect(credentialDetail(snapshot([copy('ml-a', marker.hf)]), 'ml-a/hf')!.mirrorOf).toEqual({ id: 'credinject/hf', current: null });
  });

  it('shows the propagation of a cluster credential', () => {
    expect(credentialDetail(view, 'credinject/hf')!.propagation?.copies).toEqual([
      { namespace: 'ml-a', state: 'current' },
      { namespace: 'ml-b', state: 'outdated' },
    ]);
  });

  it('is undefined for a credential that is not visible', () => {
    expect(credentialDetail(view, 'ml-a/nope')).toBeUndefined();
  });

  it.each(['credinject/hf', 'ml-a/hf', 'ml-b/hf', 'ml-a/s3'])('of %s holds no value or digest', (id) => {
    const text = JSON.stringify(credentialDetail(view, id));
    for (const value of [...Object.values(marker), 'hf_old', shared.dataDigest, 'sha256:abc', 'last-applied']) expect(text).not.toContain(value);
  });
});

describe('userDetail', () => {
  it.each([
    ['ml-a/Deployment/trainer', [{ name: 's3', id: 'ml-a/s3', via: 'annotation' }]],
    // A Secret referenced by hand that is not a credential is left out.
    ['ml-a/Pod/debug', [{ name: 's3', id: 'ml-a/s3', via: 'direct reference' }]],
    // A credential it asks for that does not exist is listed without a link.
    ['ml-a/Job/asks-missing', [{ name: 'gone', via: 'annotation' }]],
  ])('of %s lists the credentials it references', (id, credentials) => {
    expect(userDetail(view, id)?.credentials).toEqual(credentials);
  });

  it('is undefined for an object that references nothing', () => {
    expect(userDetail(view, 'ml-a/Pod/unknown')).toBeUndefined();
  });
});
