import { describe, expect, it } from 'vitest';
import { versionDigest } from '../../src/credentials/keyDigests.js';
import type { Consumption } from '../../src/engine/consumption.js';
import { credentialStaleness, stalenessText, type UserStaleness, type VersionedCredential, type VersionedUser } from '../../src/view/staleness.js';

const none: Consumption = { env: [], files: [], rendered: [], pullSecret: false };
const envOf = (...keys: string[]): Consumption => ({ ...none, env: keys });
const filesOf = (...keys: string[]): Consumption => ({ ...none, files: keys });
const renderedOf = (...keys: string[]): Consumption => ({ ...none, rendered: keys });
const pullSecret: Consumption = { ...none, pullSecret: true };

// Stand-ins for keyed digests: the model compares them, it never computes one from a value.
const before = { access_key_id: 'k-id-1', secret_access_key: 'k-secret-1', region: 'k-region-1' };
const after = { ...before, secret_access_key: 'k-secret-2' };
const credential: VersionedCredential = { namespace: 'ml', name: 'aws-s3', digests: after };

/** A pod injected while the credential held `digests` (undefined: no versions annotation). */
function pod(name: string, use: Consumption, digests: Record<string, string> | undefined, owner?: VersionedUser['owner']): VersionedUser {
  const keys = use.env.length > 0 ? use.env : [...use.files, ...use.rendered];
  const version = digests === undefined ? undefined : versionDigest(digests, keys.length > 0 ? keys : Object.keys(digests));
  return { kind: 'Pod', namespace: 'ml', name, ...(owner ? { owner } : {}), versions: version ? { 'aws-s3': version } : {}, restartedFor: {}, consumption: { 'aws-s3': use } };
}

function workload(kind: VersionedUser['kind'], name: string, use: Consumption, extra: Partial<VersionedUser> = {}): VersionedUser {
  return { kind, namespace: 'ml', name, versions: {}, restartedFor: {}, consumption: { 'aws-s3': use }, ...extra };
}

const states = (users: UserStaleness[]): string[] => users.map((u) => `${u.kind}/${u.name}=${u.state}`);
const only = (user: VersionedUser, c = credential): UserStaleness => credentialStaleness(c, [user]).users[0]!;

describe('credentialStaleness: a pod', () => {
  it.each<[string, VersionedUser, Partial<UserStaleness>]>([
    ['env of the current data is current', pod('p', envOf('secret_access_key'), after), { state: 'current' }],
    ['env of older data is stale, naming the one key', pod('p', envOf('secret_access_key'), before), { state: 'stale', changedKeys: ['secret_access_key'], exact: true }],
    [
      'env of several keys, one changed, is stale naming the candidates, not exact',
      pod('p', envOf('access_key_id', 'secret_access_key'), before),
      { state: 'stale', changedKeys: ['access_key_id', 'secret_access_key'], exact: false },
    ],
    ['env of a key that did not change is current', pod('p', envOf('region'), before), { state: 'current' }],
    ['files of older data refresh in place', pod('p', filesOf('secret_access_key'), before), { state: 'refreshing' }],
    ['files of the current data are current', pod('p', filesOf('secret_access_key'), after), { state: 'current' }],
    ['rendered output of older data refreshes in place', pod('p', renderedOf('access_key_id', 'secret_access_key'), before), { state: 'refreshing' }],
    ['a pull secret of older data is picked up at the next pull', pod('p', pullSecret, before), { state: 'refreshing' }],
    ['env without a versions annotation is unknown', pod('p', envOf('secret_access_key'), undefined), { state: 'unknown', reason: 'no-versions' }],
  ])('%s', (_name, user, expected) => {
    expect(only(user)).toMatchObject(expected);
  });

  it('is unknown, for every user, when the digest key could not be read', () => {
    const result = credentialStaleness({ namespace: 'ml', name: 'aws-s3' }, [pod('p', envOf('secret_access_key'), before), workload('Deployment', 'web', envOf('secret_access_key'))]);
    expect(result.users.map((u) => [u.state, u.reason])).toEqual([
      ['unknown', 'no-digest-key'],
      ['unknown', 'no-digest-key'],
    ]);
    expect(result.stale).toBeNull();
  });

  it('a changed key is named, never a digest', () => {
    const text = JSON.stringify(credentialStaleness(credential, [pod('p', envOf('secret_access_key'), before)]));
    for (const digest of [...Object.values(before), ...Object.values(after), versionDigest(before, ['secret_access_key'])]) expect(text).not.toContain(digest);
    expect(text).toContain('secret_access_key');
  });
});

describe('credentialStaleness: a workload', () => {
  const rs = workload('ReplicaSet', 'web-abc', envOf('secret_access_key'), { owner: { kind: 'Deployment', name: 'web' } });
  const deployment = workload('Deployment', 'web', envOf('secret_access_key'));
  const podOfRs = (name: string, digests: Record<string, string> | undefined) => pod(name, envOf('secret_access_key'), digests, { kind: 'ReplicaSet', name: 'web-abc' });

  it.each<[string, VersionedUser[], string[]]>([
    ['a Deployment is stale when a pod of its ReplicaSet is', [deployment, rs, podOfRs('web-abc-1', before), podOfRs('web-abc-2', after)], ['Deployment/web=stale', 'ReplicaSet/web-abc=stale', 'Pod/web-abc-1=stale', 'Pod/web-abc-2=current']],
    ['a Deployment whose pods all run the current data is current', [deployment, rs, podOfRs('web-abc-1', after)], ['Deployment/web=current', 'ReplicaSet/web-abc=current', 'Pod/web-abc-1=current']],
    ['a Deployment without pods is current (new pods get the current data)', [deployment], ['Deployment/web=current']],
    ['a Deployment with a pod that cannot be told is unknown', [deployment, rs, podOfRs('web-abc-1', undefined)], ['Deployment/web=unknown', 'ReplicaSet/web-abc=unknown', 'Pod/web-abc-1=unknown']],
    [
      'a CronJob is stale through its Job',
      [
        workload('CronJob', 'nightly', envOf('secret_access_key')),
        workload('Job', 'nightly-1', envOf('secret_access_key'), { owner: { kind: 'CronJob', name: 'nightly' } }),
        pod('nightly-1-x', envOf('secret_access_key'), before, { kind: 'Job', name: 'nightly-1' }),
      ],
      ['CronJob/nightly=stale', 'Job/nightly-1=stale', 'Pod/nightly-1-x=stale'],
    ],
    [
      'a files Deployment whose pod holds older data refreshes in place',
      [workload('Deployment', 'files', filesOf('secret_access_key')), pod('files-1', filesOf('secret_access_key'), before, { kind: 'StatefulSet', name: 'x' })],
      ['Deployment/files=current', 'Pod/files-1=refreshing'],
    ],
    ['a user that does not consume the credential is left out', [workload('Deployment', 'other', none, { consumption: {} })], []],
  ])('%s', (_name, users, expected) => {
    expect(states(credentialStaleness(credential, users).users)).toEqual(expected);
  });

  it("names the stale pods' changed keys and counts them", () => {
    const users = credentialStaleness(credential, [deployment, rs, podOfRs('web-abc-1', before), podOfRs('web-abc-2', before)]).users;
    expect(users[0]).toMatchObject({ kind: 'Deployment', state: 'stale', changedKeys: ['secret_access_key'], exact: true, stalePods: 2 });
  });

  it("is stale with a restart pending when its template's restarted-for names an older version", () => {
    const behind = workload('Deployment', 'web', envOf('secret_access_key'), { restartedFor: { 'aws-s3': versionDigest(before, ['secret_access_key']) } });
    expect(only(behind)).toMatchObject({ state: 'stale', restartPending: true, changedKeys: ['secret_access_key'], stalePods: 0 });
    const current = workload('Deployment', 'web', envOf('secret_access_key'), { restartedFor: { 'aws-s3': versionDigest(after, ['secret_access_key']) } });
    expect(only(current).state).toBe('current');
  });

  it('leaves out users of other namespaces', () => {
    expect(credentialStaleness(credential, [{ ...pod('p', envOf('secret_access_key'), before), namespace: 'other' }]).users).toEqual([]);
  });
});

describe('credentialStaleness: the count', () => {
  it.each<[string, VersionedUser[], number | null]>([
    ['counts stale users, pods and workloads alike', [workload('Deployment', 'web', envOf('secret_access_key')), pod('p', envOf('secret_access_key'), before, { kind: 'Deployment', name: 'web' })], 2],
    ['is 0 when every user is current or refreshing', [pod('a', envOf('secret_access_key'), after), pod('b', filesOf('secret_access_key'), before)], 0],
    ['is null when none is stale but one cannot be told', [pod('a', envOf('secret_access_key'), after), pod('b', envOf('secret_access_key'), undefined)], null],
    ['is the stale count even when another cannot be told', [pod('a', envOf('secret_access_key'), before), pod('b', envOf('secret_access_key'), undefined)], 1],
    ['is 0 without users', [], 0],
  ])('%s', (_name, users, expected) => {
    expect(credentialStaleness(credential, users).stale).toBe(expected);
  });
});

describe('stalenessText', () => {
  it.each<[UserStaleness, string]>([
    [{ kind: 'Pod', name: 'p', state: 'stale', changedKeys: ['secret_access_key'], exact: true }, 'stale: secret_access_key changed'],
    [{ kind: 'Pod', name: 'p', state: 'stale', changedKeys: ['a', 'b'], exact: false }, 'stale: one or more of a, b changed'],
    [{ kind: 'Deployment', name: 'w', state: 'stale', changedKeys: ['a'], exact: true, stalePods: 2, restartPending: true }, 'stale: a changed, 2 pods on the old version, restart pending'],
    [{ kind: 'Pod', name: 'p', state: 'refreshing' }, 'refreshing in place (files, rendered or pull secret: no restart needed)'],
    [{ kind: 'Pod', name: 'p', state: 'unknown', reason: 'no-versions' }, 'unknown: no credinject.dev/versions recorded'],
    [{ kind: 'Pod', name: 'p', state: 'unknown', reason: 'no-digest-key' }, 'unknown: the digest key could not be read'],
    [{ kind: 'Pod', name: 'p', state: 'current' }, 'current'],
  ])('%j reads "%s"', (user, text) => {
    expect(stalenessText(user)).toBe(text);
  });
});
