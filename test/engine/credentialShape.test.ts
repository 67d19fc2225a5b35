import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied, container, podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecrets } from '../fixtures/secrets.js';

/** ClearML as HPE/Pachyderm pipelines bind it: lower-case keys, each mapped to a named env var. */
const clearml = credentialSecret('clearml-keys', 'generic', { access: 'a', secret: 'b', host: 'api.clear.ml' }, {
  metadata: { annotations: { 'credinject.dev/env': 'CLEARML_API_ACCESS_KEY=access, CLEARML_API_SECRET_KEY=secret' } },
});
const mlflowDb = credentialSecret('mlflow-db', 'password', { username: 'u', password: 'p' });
const credentials = staticCredentials([...exampleSecrets(), clearml, mlflowDb], 'default');

function plan(annotations: Record<string, string>, pod = podRequesting(undefined, { annotations })) {
  return planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);
}

function injected(annotations: Record<string, string>): V1Pod {
  const pod = podRequesting(undefined, { annotations });
  const decision = plan(annotations, pod);
  expect(decision.denial).toBeUndefined();
  return applied(pod, decision.patch);
}

const ref = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

describe('env.credinject.dev/<credential>: the pod maps keys to env names', () => {
  it.each([
    [
      'password keys under MLflow names',
      { 'credinject.dev/inject': 'mlflow-db', 'env.credinject.dev/mlflow-db': 'MLFLOW_TRACKING_USERNAME=username, MLFLOW_TRACKING_PASSWORD=password' },
      [ref('MLFLOW_TRACKING_USERNAME', 'mlflow-db', 'username'), ref('MLFLOW_TRACKING_PASSWORD', 'mlflow-db', 'password')],
    ],
    ['only the listed keys of an aws credential', { 'credinject.dev/inject': 'aws-s3', 'env.credinject.dev/aws-s3': 'S3_KEY=access_key_id' }, [ref('S3_KEY', 'aws-s3', 'access_key_id')]],
    [
      'one key under two names',
      { 'credinject.dev/inject': 'hf-token', 'env.credinject.dev/hf-token': 'HF_TOKEN=token, HUGGINGFACE_TOKEN=token' },
      [ref('HF_TOKEN', 'hf-token', 'token'), ref('HUGGINGFACE_TOKEN', 'hf-token', 'token')],
    ],
    [
      "the pod's mapping over the owner's",
      { 'credinject.dev/inject': 'clearml-keys', 'env.credinject.dev/clearml-keys': 'CLEARML_API_HOST=host' },
      [ref('CLEARML_API_HOST', 'clearml-keys', 'host')],
    ],
    [
      "the owner's mapping for a generic Secret with lower-case keys",
      { 'credinject.dev/inject': 'clearml-keys' },
      [ref('CLEARML_API_ACCESS_KEY', 'clearml-keys', 'access'), ref('CLEARML_API_SECRET_KEY', 'clearml-keys', 'secret')],
    ],
  ])('injects %s', (_case, annotations, env) => {
    expect(container(injected(annotations), 'app').env).toEqual(env);
  });

  it.each([
    ['a key the credential lacks', { 'env.credinject.dev/aws-s3': 'X=nope' }, 'env.credinject.dev/aws-s3 maps key "nope", which credential "aws-s3" does not have (it has access_key_id, region, secret_access_key)'],
    ['an invalid env name', { 'env.credinject.dev/aws-s3': '1X=region' }, 'env.credinject.dev/aws-s3 "1X" is not a valid env var name'],
    ['a name listed twice', { 'env.credinject.dev/aws-s3': 'X=region, X=access_key_id' }, 'env.credinject.dev/aws-s3 names env var X twice'],
    ['an entry that is not NAME=key', { 'env.credinject.dev/aws-s3': 'region' }, 'env.credinject.dev/aws-s3 entry "region" must be NAME=key'],
    ['an empty mapping', { 'env.credinject.dev/aws-s3': ' , ' }, 'env.credinject.dev/aws-s3 maps no key'],
    ['a type that sets no env from keys', { 'credinject.dev/inject': 'aws-s3, git-ssh', 'env.credinject.dev/git-ssh': 'KEY=id_ed25519' }, 'env.credinject.dev/git-ssh does not apply: credential "git-ssh" (type ssh) sets no env from its keys'],
    [
      'a name another credential also sets',
      { 'credinject.dev/inject': 'aws-s3, hf-token', 'env.credinject.dev/hf-token': 'AWS_REGION=token' },
      'credentials "aws-s3" and "hf-token" both set AWS_REGION in container "app"',
    ],
  ])('denies %s, naming the credential and the problem', (_case, annotations, message) => {
    const denial = plan({ 'credinject.dev/inject': 'aws-s3', ...annotations }).denial;
    expect(denial?.message).toContain(message);
  });

  it('warns that an env prefix is ignored beside a mapping', () => {
    const decision = plan({ 'credinject.dev/inject': 'minio', 'env.credinject.dev/minio': 'KEY=access_key_id', 'env-prefix.credinject.dev/minio': 'S3_' });
    expect(decision.warnings).toEqual(['env-prefix.credinject.dev/minio is ignored: env.credinject.dev/minio names the variables']);
  });
});

describe('keys.credinject.dev/<credential>: only these keys go in', () => {
  it('keeps only the env of the listed keys', () => {
    const pod = injected({ 'credinject.dev/inject': 'aws-s3', 'keys.credinject.dev/aws-s3': 'access_key_id, secret_access_key' });
    expect(container(pod, 'app').env?.map((variable) => variable.name)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });

  it("picks among the owner's mapped keys", () => {
    const pod = injected({ 'credinject.dev/inject': 'clearml-keys', 'keys.credinject.dev/clearml-keys': 'access' });
    expect(container(pod, 'app').env).toEqual([ref('CLEARML_API_ACCESS_KEY', 'clearml-keys', 'access')]);
  });

  it('lists only those keys as items of a whole-directory Secret volume (never subPath)', () => {
    const pod = injected({ 'credinject.dev/inject': 'postgres-mtls', 'keys.credinject.dev/postgres-mtls': 'tls.crt, tls.key' });
    expect(pod.spec?.volumes?.[0]?.secret?.items).toEqual([
      { key: 'tls.crt', path: 'tls.crt' },
      { key: 'tls.key', path: 'tls.key', mode: 0o400 },
    ]);
    expect(container(pod, 'app').volumeMounts?.every((mount) => mount.subPath === undefined)).toBe(true);
  });

  it.each([
    ['a key the credential lacks', { 'keys.credinject.dev/aws-s3': 'token' }, 'keys.credinject.dev/aws-s3 names key "token", which credential "aws-s3" does not have'],
    ['no key at all', { 'keys.credinject.dev/aws-s3': ',' }, 'keys.credinject.dev/aws-s3 names no key'],
    ['a mapped key the subset leaves out', { 'keys.credinject.dev/aws-s3': 'region', 'env.credinject.dev/aws-s3': 'K=access_key_id' }, 'env.credinject.dev/aws-s3 maps key "access_key_id", which keys.credinject.dev/aws-s3 leaves out'],
    ['an image pull secret', { 'credinject.dev/inject': 'registry', 'keys.credinject.dev/registry': '.dockerconfigjson' }, 'keys.credinject.dev/registry does not apply'],
  ])('denies %s', (_case, annotations, message) => {
    expect(plan({ 'credinject.dev/inject': 'aws-s3', ...annotations }).denial?.message).toContain(message);
  });

  it('denies a subset that leaves a credential nothing to inject', () => {
    const empty = credentialSecret('empty-map', 'generic', { a: 'x', B: 'y' }, { metadata: { annotations: { 'credinject.dev/env': 'A=a' } } });
    const decision = planAdmission(
      { object: podRequesting(undefined, { annotations: { 'credinject.dev/inject': 'empty-map', 'keys.credinject.dev/empty-map': 'B' } }), namespace: 'default', operation: 'CREATE' },
      staticCredentials([empty], 'default'),
      defaultInjectionOptions,
    );
    expect(decision.denial?.message).toContain('credential "empty-map" would inject nothing: keys.credinject.dev/empty-map leaves out every key it injects');
  });
});

describe('mode.credinject.dev/<credential>: the mode of its files', () => {
  it.each([
    ['gcp files', 'gcp-sa', '0400', { secretName: 'gcp-sa', defaultMode: 0o400, items: [{ key: 'service-account.json', path: 'service-account.json' }] }],
    ['ssh keys made owner-writable', 'git-ssh', '0600', { secretName: 'git-ssh', defaultMode: 0o600 }],
    ['tls files, the key among them, group-readable', 'postgres-mtls', '0440', { secretName: 'postgres-mtls', defaultMode: 0o440 }],
  ])('sets %s', (_case, name, mode, secret) => {
    const pod = injected({ 'credinject.dev/inject': name, [`mode.credinject.dev/${name}`]: mode });
    const volume = pod.spec?.volumes?.find((candidate) => candidate.secret?.secretName === name);
    expect(volume?.secret).toEqual(secret);
  });

  it.each([
    ['not octal', 'git-ssh', '0800', 'mode.credinject.dev/git-ssh must be an octal file mode from 0000 to 0777'],
    ['too long', 'git-ssh', '01777', 'mode.credinject.dev/git-ssh must be an octal file mode'],
    ['ssh keys wider than 0600', 'git-ssh', '0640', 'mode.credinject.dev/git-ssh 0640 is too wide for the private keys of "git-ssh"'],
    ['a tls key others could read', 'postgres-mtls', '0444', 'mode.credinject.dev/postgres-mtls 0444 would let others read tls.key of "postgres-mtls"; use at most 0640'],
  ])('denies a mode %s', (_case, name, mode, message) => {
    expect(plan({ 'credinject.dev/inject': name, [`mode.credinject.dev/${name}`]: mode }).denial?.message).toContain(message);
  });

  it('gives rendered files the mode, but keeps pgpass 0400 for libpq', () => {
    const decision = plan({ 'credinject.dev/render': 'postgres:pgpass, postgres:env-file', 'mode.credinject.dev/postgres': '0440' });
    expect(decision.denial).toBeUndefined();
    expect(JSON.stringify(decision.patch)).toContain('\\"mode\\":256');
    expect(JSON.stringify(decision.patch)).toContain('\\"mode\\":288');
  });

  it('warns that a mode for a credential without files changes nothing', () => {
    expect(plan({ 'credinject.dev/inject': 'hf-token', 'mode.credinject.dev/hf-token': '0400' }).warnings).toEqual([
      'mode.credinject.dev/hf-token is ignored: credential "hf-token" (type huggingface) mounts no files here',
    ]);
  });
});
