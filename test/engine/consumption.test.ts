import { describe, expect, it } from 'vitest';
import type { CredentialInfo, CredentialLookup } from '../../src/credentials/credentialInfo.js';
import { describeCredential } from '../../src/credentials/describeCredential.js';
import { keyDigests, versionDigest } from '../../src/credentials/keyDigests.js';
import {
  formatVersions,
  parseVersions,
  consumptionOf,
  consumptionSource,
  podConsumption,
  podVersions,
  templateConsumption,
  versionKeys,
  type Consumption,
} from '../../src/engine/consumption.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { applied } from '../fixtures/pods.js';
import { exampleSecret } from '../fixtures/secrets.js';

const digestKey = Buffer.alloc(32, 7);

function lookupOf(names: string[], withDigests = true): CredentialLookup & { infos: Map<string, CredentialInfo> } {
  const infos = new Map<string, CredentialInfo>();
  for (const name of names) {
    const secret = exampleSecret(name);
    secret.metadata = { ...secret.metadata, namespace: 'ml' };
    const info = describeCredential(secret);
    if (withDigests) info.digests = keyDigests(secret, digestKey);
    infos.set(name, info);
  }
  return { infos, get: (namespace, name) => (namespace === 'ml' ? infos.get(name) : undefined) };
}

const lookup = lookupOf(['aws-s3', 'gcp-sa', 'registry', 'postgres', 'git-ssh']);

function deployment(annotations: Record<string, string>, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ml' },
    spec: { template: { metadata: { annotations }, spec: { containers: [{ name: 'app', image: 'app' }], ...spec } } },
  };
}

const none: Consumption = { env: [], files: [], rendered: [], pullSecret: false };
const awsEnv = ['access_key_id', 'region', 'secret_access_key'];

describe('templateConsumption', () => {
  it.each([
    ['an env type asked for by annotation', { 'credinject.dev/inject': 'aws-s3' }, {}, { 'aws-s3': { ...none, env: awsEnv } }],
    ['a file type', { 'credinject.dev/inject': 'gcp-sa' }, {}, { 'gcp-sa': { ...none, files: ['service-account.json'] } }],
    ['a pull secret', { 'credinject.dev/inject': 'registry' }, {}, { registry: { ...none, pullSecret: true } }],
    ['a rendered credential', { 'credinject.dev/render': 'postgres:pgpass' }, {}, { postgres: { ...none, env: ['password', 'username'], rendered: ['password', 'username'] } }],
    [
      'a key referenced by hand as env',
      {},
      { containers: [{ name: 'app', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } }] }] },
      { 'aws-s3': { ...none, env: ['secret_access_key'] } },
    ],
    ['envFrom by hand: every key as env', {}, { containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'aws-s3' } }] }] }, { 'aws-s3': { ...none, env: awsEnv } }],
    [
      'a Secret volume with items by hand',
      {},
      { volumes: [{ name: 'v', secret: { secretName: 'aws-s3', items: [{ key: 'region', path: 'r' }] } }] },
      { 'aws-s3': { ...none, files: ['region'] } },
    ],
    ['a Secret that is no credential, by hand', {}, { volumes: [{ name: 'v', secret: { secretName: 'other' } }] }, { other: none }],
    ['an unknown credential', { 'credinject.dev/inject': 'missing' }, {}, {}],
  ])('%s', (_name, annotations, spec, expected) => {
    expect(templateConsumption(deployment(annotations, spec), 'Deployment', 'ml', lookup)).toEqual(expected);
  });

  it('of a Pod is what its spec references (it is injected already)', () => {
    const pod = { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3' } }, spec: { containers: [{ name: 'app' }] } };
    expect(templateConsumption(pod, 'Pod', 'ml', lookup)).toEqual({});
  });
});

describe('consumption through the ServiceAccount (admission merges its request annotations into each Pod)', () => {
  const accounts = (requests: Record<string, Record<string, string>>) => ({ requestOf: (namespace: string, name: string) => (namespace === 'ml' ? requests[name] : undefined) });
  const ofDeployment = (annotations: Record<string, string>, serviceAccountName?: string) =>
    consumptionSource(deployment(annotations, serviceAccountName ? { serviceAccountName } : {}), 'Deployment');

  it.each<[string, Record<string, string>, string | undefined, Record<string, Record<string, string>>, Record<string, Consumption>]>([
    ['a Deployment with no annotation whose ServiceAccount asks for an env credential', {}, 'trainer', { trainer: { 'credinject.dev/inject': 'aws-s3' } }, { 'aws-s3': { ...none, env: awsEnv } }],
    ['the default ServiceAccount when the template names none', {}, undefined, { default: { 'credinject.dev/inject': 'aws-s3' } }, { 'aws-s3': { ...none, env: awsEnv } }],
    ['the workload’s own inject winning over the ServiceAccount’s', { 'credinject.dev/inject': 'gcp-sa' }, 'trainer', { trainer: { 'credinject.dev/inject': 'aws-s3' } }, { 'gcp-sa': { ...none, files: ['service-account.json'] } }],
    ['a ServiceAccount asking for nothing', {}, 'trainer', {}, {}],
    ['only request keys of the ServiceAccount', {}, 'trainer', { trainer: { 'example.com/inject': 'aws-s3' } }, {}],
  ])('%s', (_case, annotations, serviceAccount, requests, expected) => {
    expect(consumptionOf(ofDeployment(annotations, serviceAccount), 'ml', lookup, accounts(requests))).toEqual(expected);
  });

  it('follows the ServiceAccount’s annotation as it is now (the source keeps only its name)', () => {
    const source = ofDeployment({}, 'trainer');
    expect(source.serviceAccount).toBe('trainer');
    expect(consumptionOf(source, 'ml', lookup, accounts({}))).toEqual({});
    expect(consumptionOf(source, 'ml', lookup, accounts({ trainer: { 'credinject.dev/inject': 'aws-s3' } }))).toEqual({ 'aws-s3': { ...none, env: awsEnv } });
  });

  it('never applies to a Pod: its injected spec holds what its ServiceAccount gave', () => {
    const pod = { metadata: { namespace: 'ml' }, spec: { serviceAccountName: 'trainer', containers: [{ name: 'app' }] } };
    expect(consumptionOf(consumptionSource(pod, 'Pod'), 'ml', lookup, accounts({ trainer: { 'credinject.dev/inject': 'aws-s3' } }))).toEqual({});
  });
});

describe('podConsumption of a Pod the engine injected', () => {
  it.each([
    ['aws-s3', { 'aws-s3': { ...none, env: awsEnv } }],
    ['gcp-sa', { 'gcp-sa': { ...none, files: ['service-account.json'] } }],
    ['registry', { registry: { ...none, pullSecret: true } }],
  ])('%s matches what the workload template says', (name, expected) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml', annotations: { 'credinject.dev/inject': name } }, spec: { containers: [{ name: 'app', image: 'app' }] } };
    const decision = planAdmission({ operation: 'CREATE', namespace: 'ml', kind: { group: '', kind: 'Pod' }, object: pod }, lookup, defaultInjectionOptions);
    expect(decision.denial).toBeUndefined();
    expect(podConsumption(applied(pod, decision.patch), 'ml', lookup)).toEqual(expected);
  });

  it('counts the agent-rendered Secret volume as rendered, not files', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml', annotations: { 'credinject.dev/render': 'postgres:pgpass' } }, spec: { containers: [{ name: 'app', image: 'app' }] } };
    const decision = planAdmission({ operation: 'CREATE', namespace: 'ml', kind: { group: '', kind: 'Pod' }, object: pod }, lookup, defaultInjectionOptions);
    const use = podConsumption(applied(pod, decision.patch), 'ml', lookup)['postgres'];
    expect(use?.files).toEqual([]);
    expect(use?.rendered).toEqual(['password', 'username']);
  });
});

describe('versions', () => {
  it.each([
    ['env keys when it takes any', { ...none, env: ['b'], files: ['a'] }, ['b']],
    ['every consumed key otherwise', { ...none, files: ['b'], rendered: ['a'] }, ['a', 'b']],
    ['nothing for a pull secret alone', { ...none, pullSecret: true }, []],
  ])('cover %s', (_name, use, expected) => {
    expect(versionKeys(use)).toEqual(expected);
  });

  it.each([
    ['a=1,b=2', { a: '1', b: '2' }],
    [' b=2 , a=1 ', { a: '1', b: '2' }],
    ['=x,a=,noequals,__proto__=1,c=3', { c: '3' }],
    ['', {}],
  ])('parse %j', (text, expected) => {
    expect(parseVersions(text)).toEqual(expected);
  });

  it('format sorted and parse back', () => {
    expect(formatVersions({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(parseVersions(formatVersions({ b: '2', a: '1' }))).toEqual({ a: '1', b: '2' });
  });

  it('are recorded only where the lookup holds digests (the CLI writes none)', () => {
    const consumption = { 'aws-s3': { ...none, env: ['secret_access_key'] } };
    expect(Object.keys(podVersions(consumption, 'ml', lookup))).toEqual(['aws-s3']);
    expect(podVersions(consumption, 'ml', lookupOf(['aws-s3'], false))).toEqual({});
  });

  it('change only when a covered key changes', () => {
    const secret = exampleSecret('aws-s3');
    const before = keyDigests(secret, digestKey);
    secret.stringData = { ...secret.stringData, region: 'eu-west-9' };
    const after = keyDigests(secret, digestKey);
    expect(versionDigest(after, ['secret_access_key'])).toBe(versionDigest(before, ['secret_access_key']));
    expect(versionDigest(after, ['region', 'secret_access_key'])).not.toBe(versionDigest(before, ['region', 'secret_access_key']));
  });
});
