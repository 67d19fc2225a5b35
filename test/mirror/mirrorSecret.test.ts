import type { V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { isMirrorOf, keyedMirrorHash, mirrorDataHash, mirrorSecret, rehashedMirror, updatedMirror } from '../../src/mirror/mirrorSecret.js';
import { validateCredential } from '../../src/credentials/validateCredential.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const digestKey = Buffer.alloc(32, 7);

function clusterSource(): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'registry',
      namespace: 'credinject-system',
      uid: 'source-uid',
      resourceVersion: '42',
      labels: { 'credinject.dev/type': 'docker-registry', 'credinject.dev/scope': 'cluster', team: 'platform' },
      annotations: {
        'credinject.dev/namespace-selector': 'team=ml',
        'credinject.dev/description': 'pull from the company registry',
        'credinject.dev/mount-path': '/etc/registry',
        'credinject.dev/env-prefix': 'REG_',
        'credinject.dev/allow-delete': 'true',
        'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"secret":"in here"}}',
      },
      managedFields: [{ manager: 'kubectl' }],
    },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64('{"auths":{"registry.example.com":{"auth":"dTpw"}}}') },
  };
}

describe('mirrorSecret', () => {
  const mirror = mirrorSecret(clusterSource(), 'train', digestKey);

  it('is a Secret of the same name, type and data in the target namespace', () => {
    expect(mirror.metadata?.name).toBe('registry');
    expect(mirror.metadata?.namespace).toBe('train');
    expect(mirror.type).toBe('kubernetes.io/dockerconfigjson');
    expect(mirror.data).toEqual(clusterSource().data);
  });

  it('carries the type and mirror labels only', () => {
    expect(mirror.metadata?.labels).toEqual({ 'credinject.dev/type': 'docker-registry', 'credinject.dev/mirror': 'true' });
  });

  it('carries its source, the data hash and the annotations injection reads, nothing else', () => {
    expect(mirror.metadata?.annotations).toEqual({
      'credinject.dev/mirrored-from': 'credinject-system/registry',
      'credinject.dev/mirror-hash': keyedMirrorHash('registry', clusterSource().data, digestKey),
      'credinject.dev/description': 'pull from the company registry',
      'credinject.dev/mount-path': '/etc/registry',
      'credinject.dev/env-prefix': 'REG_',
    });
  });

  it('keeps no identity of the source (uid, resourceVersion, managedFields)', () => {
    expect(Object.keys(mirror.metadata ?? {}).sort()).toEqual(['annotations', 'labels', 'name', 'namespace']);
  });

  it('is a valid namespaced credential (no scope, so no selector needed)', () => {
    expect(validateCredential(mirror)).toEqual([]);
  });

  it('is recognised as a mirror of its source, and only of it', () => {
    expect(isMirrorOf(mirror.metadata!, 'credinject-system')).toBe(true);
    expect(isMirrorOf(mirror.metadata!, 'other-system')).toBe(false);
    expect(isMirrorOf({ ...mirror.metadata, name: 'renamed' }, 'credinject-system')).toBe(false);
    expect(isMirrorOf(clusterSource().metadata!, 'credinject-system')).toBe(false);
  });
});

describe('mirrorDataHash', () => {
  it.each<[string, Record<string, string>, Record<string, string>, boolean]>([
    ['the same data in another key order', { a: b64('1'), b: b64('2') }, { b: b64('2'), a: b64('1') }, true],
    ['the same data with base64 line breaks', { a: b64('x'.repeat(80)) }, { a: b64('x'.repeat(80)).replace(/(.{40})/g, '$1\n') }, true],
    ['a changed value', { a: b64('1') }, { a: b64('2') }, false],
    ['a renamed key', { a: b64('1') }, { b: b64('1') }, false],
    ['an added key', { a: b64('1') }, { a: b64('1'), b: b64('') }, false],
    ['bytes moved between key and value', { ab: b64('c') }, { a: b64('bc') }, false],
  ])('%s: equal hash is %s', (_case, left, right, equal) => {
    expect(mirrorDataHash(left) === mirrorDataHash(right)).toBe(equal);
  });

  it('never contains the values', () => {
    expect(mirrorDataHash({ token: b64('hf_secret_value') })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('keyedMirrorHash', () => {
  const data = { token: b64('hunter2') };
  const unkeyedSha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

  it('normalises like the unkeyed hash: key order and base64 line breaks do not change it', () => {
    const long = b64('x'.repeat(80));
    expect(keyedMirrorHash('hf', { a: b64('1'), b: long }, digestKey)).toBe(keyedMirrorHash('hf', { b: long.replace(/(.{40})/g, '$1\n'), a: b64('1') }, digestKey));
    expect(keyedMirrorHash('hf', { a: b64('1') }, digestKey)).not.toBe(keyedMirrorHash('hf', { a: b64('2') }, digestKey));
  });

  it('depends on the shared key and the credential name, so replicas agree and two credentials with equal data do not', () => {
    expect(keyedMirrorHash('hf', data, Buffer.alloc(32, 7))).toBe(keyedMirrorHash('hf', data, digestKey));
    expect(keyedMirrorHash('hf', data, Buffer.alloc(32, 8))).not.toBe(keyedMirrorHash('hf', data, digestKey));
    expect(keyedMirrorHash('other', data, digestKey)).not.toBe(keyedMirrorHash('hf', data, digestKey));
  });

  it('is never an unkeyed hash of the value or of the data (a short password could be brute-forced from one)', () => {
    const hash = keyedMirrorHash('hf', data, digestKey);
    expect(hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const hex = hash.slice('hmac-sha256:'.length);
    for (const unkeyed of [unkeyedSha256('hunter2'), unkeyedSha256(data.token), mirrorDataHash(data).slice('sha256:'.length)]) expect(hex).not.toBe(unkeyed);
    expect(hash).not.toContain('hunter2');
  });
});

describe('rehashedMirror', () => {
  const current: V1Secret = {
    ...mirror0(),
    metadata: { ...mirror0().metadata, resourceVersion: '9', managedFields: [{ manager: 'credinject' }], annotations: { ...mirror0().metadata?.annotations, 'credinject.dev/mirror-hash': 'sha256:legacy', 'example.com/note': 'kept' } },
  };
  function mirror0(): V1Secret {
    return mirrorSecret(clusterSource(), 'train', digestKey);
  }

  it('changes the hash annotation and nothing else (data, type, labels, other annotations, resourceVersion)', () => {
    const rehashed = rehashedMirror(current, 'hmac-sha256:new');
    const { managedFields: _dropped, ...metadata } = current.metadata!;
    expect(rehashed).toEqual({ ...current, metadata: { ...metadata, annotations: { ...current.metadata!.annotations, 'credinject.dev/mirror-hash': 'hmac-sha256:new' } } });
    expect(rehashed.data).toBe(current.data);
  });
});

describe('updatedMirror', () => {
  const current: V1Secret = {
    ...mirrorSecret(clusterSource(), 'train', digestKey),
    metadata: {
      name: 'registry',
      namespace: 'train',
      uid: 'mirror-uid',
      resourceVersion: '9',
      managedFields: [{ manager: 'credinject' }],
      labels: { 'credinject.dev/type': 'docker-registry', 'credinject.dev/mirror': 'true', 'credinject.dev/scope': 'cluster', 'argocd.argoproj.io/instance': 'x' },
      annotations: {
        'credinject.dev/mirrored-from': 'credinject-system/registry',
        'credinject.dev/mirror-hash': 'sha256:old',
        'credinject.dev/env-prefix': 'OLD_',
        'credinject.dev/allow-delete': 'true',
        'example.com/note': 'kept',
        'kubectl.kubernetes.io/last-applied-configuration': '{"data":"stale values"}',
      },
    },
    data: { '.dockerconfigjson': b64('{"auths":{}}'), extra: b64('x') },
  };
  const desiredSource = clusterSource();
  delete desiredSource.metadata!.annotations!['credinject.dev/env-prefix'];
  const desired = mirrorSecret(desiredSource, 'train', digestKey);
  const updated = updatedMirror(current, desired);

  it('takes data and owned metadata from the desired mirror', () => {
    expect(updated.data).toEqual(desired.data);
    expect(updated.metadata?.annotations?.['credinject.dev/mirror-hash']).toBe(desired.metadata?.annotations?.['credinject.dev/mirror-hash']);
    expect(updated.metadata?.annotations?.['credinject.dev/env-prefix']).toBeUndefined();
    expect(updated.metadata?.labels?.['credinject.dev/scope']).toBeUndefined();
  });

  it('keeps other tools’ metadata and an allow-delete, drops last-applied-configuration', () => {
    expect(updated.metadata?.labels?.['argocd.argoproj.io/instance']).toBe('x');
    expect(updated.metadata?.annotations?.['example.com/note']).toBe('kept');
    expect(updated.metadata?.annotations?.['credinject.dev/allow-delete']).toBe('true');
    expect(updated.metadata?.annotations).not.toHaveProperty(['kubectl.kubernetes.io/last-applied-configuration']);
  });

  it('replaces with the resourceVersion it read (compare-and-swap) and leaves managedFields to the server', () => {
    expect(updated.metadata?.resourceVersion).toBe('9');
    expect(updated.metadata?.uid).toBe('mirror-uid');
    expect(updated.metadata).not.toHaveProperty('managedFields');
  });
});
