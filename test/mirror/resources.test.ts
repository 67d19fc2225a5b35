import type { V1Namespace, V1Secret } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { mirrorEntry, namespaceEntry, sourceEntry } from '../../src/mirror/resources.js';
import { keyedMirrorHash } from '../../src/mirror/mirrorSecret.js';

const value = 'hf_projection_value_never_kept';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const digestKey = Buffer.alloc(32, 3);

const source: V1Secret = {
  metadata: {
    name: 'hf',
    namespace: 'credinject-system',
    resourceVersion: '5',
    labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' },
    annotations: {
      'credinject.dev/namespace-selector': 'team=ml',
      'kubectl.kubernetes.io/last-applied-configuration': `{"stringData":{"token":"${value}"}}`,
    },
  },
  data: { token: b64(value) },
};

describe('mirror informer projections', () => {
  it('reduce a cluster credential to metadata, a data hash and its problems, never its values', () => {
    const entry = sourceEntry(source, digestKey);
    expect(entry.value).toEqual({
      name: 'hf',
      namespace: 'credinject-system',
      secretType: 'Opaque',
      labels: source.metadata!.labels,
      annotations: { 'credinject.dev/namespace-selector': 'team=ml' },
      dataHash: keyedMirrorHash('hf', source.data, digestKey),
      problems: [],
      terminating: false,
    });
    expect(JSON.stringify(entry)).not.toContain(value);
    expect(JSON.stringify(entry)).not.toContain(b64(value));
  });

  it('name the broken rules of an invalid source and see it being deleted', () => {
    const broken = { ...source, metadata: { ...source.metadata, deletionTimestamp: new Date() }, data: {} };
    expect(sourceEntry(broken, digestKey).value).toMatchObject({ problems: ['missing-key'], terminating: true });
  });

  it('reduce a mirror to identity, type, credinject metadata and the hash of what it holds now', () => {
    const mirror: V1Secret = { ...source, metadata: { ...source.metadata, namespace: 'train', uid: 'u1' }, type: 'Opaque' };
    const entry = mirrorEntry(mirror, digestKey);
    expect(entry.value).toMatchObject({ namespace: 'train', name: 'hf', uid: 'u1', resourceVersion: '5', dataHash: keyedMirrorHash('hf', source.data, digestKey) });
    expect(JSON.stringify(entry)).not.toContain(value);
  });

  it.each<[string, V1Namespace, boolean]>([
    ['an active namespace', { metadata: { name: 'a' }, status: { phase: 'Active' } }, false],
    ['a Terminating one', { metadata: { name: 'a' }, status: { phase: 'Terminating' } }, true],
    ['one with a deletionTimestamp (as JSON from a watch)', { metadata: { name: 'a', deletionTimestamp: '2026-12-01T00:00:00Z' as unknown as Date } }, true],
  ])('read %s as terminating=%s', (_case, namespace, terminating) => {
    expect(namespaceEntry(namespace).value.terminating).toBe(terminating);
  });
});
