import { describe, expect, it } from 'vitest';
import { versionDigest } from '../../src/credentials/keyDigests.js';
import type { Consumption } from '../../src/engine/consumption.js';
import { parseVersions } from '../../src/engine/consumption.js';
import { planRotation, type RotationCredential, type RotationInput, type RotationPod, type RotationWorkload } from '../../src/rotation/plan.js';

const none: Consumption = { env: [], files: [], rendered: [], pullSecret: false };
const envOf = (...keys: string[]): Consumption => ({ ...none, env: keys });
const filesOf = (...keys: string[]): Consumption => ({ ...none, files: keys });

const oldData = { access_key_id: 'd-id-1', secret_access_key: 'd-secret-1', region: 'd-region-1' };
const newSecret = { ...oldData, secret_access_key: 'd-secret-2' };
const newRegion = { ...oldData, region: 'd-region-2' };
const envKeys = ['access_key_id', 'secret_access_key'];

function credential(digests: Record<string, string>, extra: Partial<RotationCredential> = {}): RotationCredential {
  return { namespace: 'ml', name: 'aws-s3', digests, problems: [], settled: true, changedKeys: [], ...extra };
}

function deployment(consumption: Consumption, extra: Partial<RotationWorkload> = {}): RotationWorkload {
  return { kind: 'Deployment', namespace: 'ml', name: 'train-api', uid: 'u1', restartedFor: {}, consumption: { 'aws-s3': consumption }, ...extra };
}

/** A pod of `owner` injected while the credential held `digests`. */
function pod(name: string, owner: RotationPod['owner'], consumption: Consumption, digests: Record<string, string> = oldData): RotationPod {
  return { namespace: 'ml', name, owner, versions: { 'aws-s3': versionDigest(digests, consumption.env) }, consumption: { 'aws-s3': consumption } };
}

const rsOwner = { kind: 'ReplicaSet', name: 'train-api-abc' };
const replicaSets = [{ namespace: 'ml', name: 'train-api-abc', deployment: 'train-api' }];

function world(extra: Partial<RotationInput> = {}): RotationInput {
  return {
    credentials: [credential(newSecret, { changedKeys: ['secret_access_key'] })],
    workloads: [deployment(envOf(...envKeys))],
    pods: [pod('train-api-abc-1', rsOwner, envOf(...envKeys))],
    replicaSets,
    defaultAction: 'restart',
    ...extra,
  };
}

const restarted = (input: RotationInput): string[] => planRotation(input).restarts.map((r) => `${r.kind}/${r.name}`);

describe('planRotation: who restarts', () => {
  it.each<[string, Partial<RotationInput>, string[]]>([
    ['a Deployment taking a changed key as env', {}, ['Deployment/train-api']],
    ['no one when the changed key is one it does not take', { credentials: [credential(newRegion, { changedKeys: ['region'] })] }, []],
    [
      'no one for a workload taking the credential as files',
      { workloads: [deployment(filesOf('secret_access_key'))], pods: [pod('p', rsOwner, filesOf('secret_access_key'))] },
      [],
    ],
    ['never a Job', { workloads: [deployment(envOf(...envKeys), { kind: 'Job', name: 'train' })], pods: [pod('train-x', { kind: 'Job', name: 'train' }, envOf(...envKeys))] }, []],
    ['never a CronJob', { workloads: [deployment(envOf(...envKeys), { kind: 'CronJob', name: 'nightly' })], pods: [] }, []],
    ['never a bare Pod', { workloads: [], pods: [pod('bare', undefined, envOf(...envKeys))] }, []],
    ['not one opted out with on-rotation: none', { workloads: [deployment(envOf(...envKeys), { onRotation: 'none' })] }, []],
    ['not one without the annotation when the default is none', { defaultAction: 'none' }, []],
    ['one opted in with on-rotation: restart when the default is none', { defaultAction: 'none', workloads: [deployment(envOf(...envKeys), { onRotation: 'restart' })] }, ['Deployment/train-api']],
    ['not before the quiet period is over', { credentials: [credential(newSecret, { settled: false, changedKeys: ['secret_access_key'] })] }, []],
    ['not when its pods already run the new data', { pods: [pod('p', rsOwner, envOf(...envKeys), newSecret)] }, []],
    ['no one when the credential has no digests yet', { credentials: [{ ...credential(newSecret), digests: undefined }] }, []],
    ['not a workload of another namespace', { credentials: [credential(newSecret, { namespace: 'other' })] }, []],
    [
      'a StatefulSet and a DaemonSet, by their pods',
      {
        workloads: [deployment(envOf(...envKeys), { kind: 'StatefulSet', name: 'db' }), deployment(envOf(...envKeys), { kind: 'DaemonSet', name: 'agent' })],
        pods: [pod('db-0', { kind: 'StatefulSet', name: 'db' }, envOf(...envKeys)), pod('agent-x', { kind: 'DaemonSet', name: 'agent' }, envOf(...envKeys))],
      },
      ['DaemonSet/agent', 'StatefulSet/db'],
    ],
    ['a Deployment scaled to zero: no pods run the old data', { pods: [], credentials: [credential(newSecret)] }, []],
    ['a workload whose pods record no version, when the controller saw the key change', { pods: [{ ...pod('p', rsOwner, envOf(...envKeys)), versions: {} }] }, ['Deployment/train-api']],
    ['not one whose pods record no version when the change was not seen', { pods: [], credentials: [credential(newSecret, { changedKeys: [] })] }, []],
  ])('%s', (_name, extra, expected) => {
    expect(restarted(world(extra))).toEqual(expected);
  });
});

describe('planRotation: the patch', () => {
  it('writes restarted-for with the version over the keys taken as env, keeping other credentials', () => {
    const [restart] = planRotation(world({ workloads: [deployment(envOf(...envKeys), { restartedFor: { other: 'abc' } })] })).restarts;
    expect(parseVersions(restart?.restartedFor)).toEqual({ other: 'abc', 'aws-s3': versionDigest(newSecret, envKeys) });
    expect(restart?.reasons).toEqual([{ credential: 'aws-s3', digest: versionDigest(newSecret, envKeys), keys: ['secret_access_key'], keysChanged: true }]);
    expect(restart?.uid).toBe('u1');
  });

  it('names the keys it takes as env when it does not know which changed (a new leader)', () => {
    const [restart] = planRotation(world({ credentials: [credential(newSecret, { changedKeys: [] })] })).restarts;
    expect(restart?.reasons[0]).toMatchObject({ keys: envKeys, keysChanged: false });
  });

  it('is idempotent: a template already carrying the current digest is not patched again', () => {
    const done = deployment(envOf(...envKeys), { restartedFor: { 'aws-s3': versionDigest(newSecret, envKeys) } });
    expect(planRotation(world({ workloads: [done] })).restarts).toEqual([]);
  });

  it('restarts again for the next rotation', () => {
    const third = { ...newSecret, secret_access_key: 'd-secret-3' };
    const done = deployment(envOf(...envKeys), { restartedFor: { 'aws-s3': versionDigest(newSecret, envKeys) } });
    const input = world({ workloads: [done], credentials: [credential(third)], pods: [pod('p2', rsOwner, envOf(...envKeys), newSecret)] });
    expect(parseVersions(planRotation(input).restarts[0]?.restartedFor)['aws-s3']).toBe(versionDigest(third, envKeys));
  });
});

describe('planRotation: a leader hand-over', () => {
  /** What the cluster looks like after the patches of a plan were written (the template annotations). */
  function afterPatches(input: RotationInput): RotationInput {
    const plan = planRotation(input);
    return {
      ...input,
      workloads: input.workloads.map((w) => {
        const restart = plan.restarts.find((r) => r.kind === w.kind && r.name === w.name);
        return restart ? { ...w, restartedFor: parseVersions(restart.restartedFor) } : w;
      }),
    };
  }

  it('the new leader does not restart what the old one patched, even before the rollout replaced a pod', () => {
    const patched = afterPatches(world());
    const newLeader = { ...patched, credentials: [credential(newSecret, { changedKeys: [] })] };
    expect(planRotation(newLeader).restarts).toEqual([]);
  });

  it('the new leader does what the old one left undone', () => {
    const newLeader = world({ credentials: [credential(newSecret, { changedKeys: [] })] });
    expect(restarted(newLeader)).toEqual(['Deployment/train-api']);
  });

  it('a patch half written (one of two workloads) is finished once, not repeated', () => {
    const second = deployment(envOf(...envKeys), { name: 'serve', uid: 'u2' });
    const input = world({
      workloads: [deployment(envOf(...envKeys)), second],
      pods: [pod('a', rsOwner, envOf(...envKeys)), pod('b', { kind: 'ReplicaSet', name: 'serve-x' }, envOf(...envKeys))],
      replicaSets: [...replicaSets, { namespace: 'ml', name: 'serve-x', deployment: 'serve' }],
    });
    const all = planRotation(input).restarts;
    const oneDone = { ...input, workloads: [{ ...input.workloads[0]!, restartedFor: parseVersions(all[1]!.restartedFor) }, second] };
    expect(all.map((r) => r.name)).toEqual(['serve', 'train-api']);
    expect(planRotation(oneDone).restarts.map((r) => r.name)).toEqual(['serve']);
  });
});

describe('planRotation: invalid data is held', () => {
  const broken = credential({ access_key_id: 'd-id-1', region: 'd-region-1' }, { problems: ['missing-key', 'missing-key'], changedKeys: ['secret_access_key'] });

  it('restarts nothing and names the broken rule and the workloads that wait', () => {
    const plan = planRotation(world({ credentials: [broken] }));
    expect(plan.restarts).toEqual([]);
    expect(plan.held).toEqual([{ namespace: 'ml', credential: 'aws-s3', rules: ['missing-key'], digest: expect.stringMatching(/^[0-9a-f]{16}$/), workloads: ['Deployment/train-api'] }]);
  });

  it('holds nothing when nothing would restart', () => {
    expect(planRotation(world({ credentials: [broken], workloads: [deployment(envOf(...envKeys), { onRotation: 'none' })] })).held).toEqual([]);
  });

  it('goes ahead once the data is valid again', () => {
    expect(restarted(world({ credentials: [credential(newSecret)] }))).toEqual(['Deployment/train-api']);
  });
});

describe('planRotation: stale pods', () => {
  it.each<[string, RotationPod[], { namespace: string; credential: string; pods: number }[]]>([
    ['counts pods of every kind that run an older version of a key they take as env', [pod('a', rsOwner, envOf(...envKeys)), pod('bare', undefined, envOf(...envKeys)), pod('job', { kind: 'Job', name: 'j' }, envOf(...envKeys))], [{ namespace: 'ml', credential: 'aws-s3', pods: 3 }]],
    ['not pods on the current version', [pod('a', rsOwner, envOf(...envKeys), newSecret)], []],
    ['not pods taking it as files', [{ ...pod('a', rsOwner, filesOf('secret_access_key')), versions: { 'aws-s3': 'old' } }], []],
    ['not pods recording no version', [{ ...pod('a', rsOwner, envOf(...envKeys)), versions: {} }], []],
  ])('%s', (_name, pods, expected) => {
    expect(planRotation(world({ pods })).stale).toEqual(expected);
  });
});
