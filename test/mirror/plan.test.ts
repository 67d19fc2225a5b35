import { describe, expect, it } from 'vitest';
import { planMirrors, type ExistingMirror, type MirrorPlanInput, type MirrorSource, type NamespaceState } from '../../src/mirror/plan.js';

const injector = 'credinject-system';

function source(name: string, selector: string | undefined, extra: Partial<MirrorSource> = {}): MirrorSource {
  return {
    name,
    namespace: injector,
    secretType: 'Opaque',
    labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' },
    annotations: selector === undefined ? {} : { 'credinject.dev/namespace-selector': selector },
    dataHash: 'hmac-sha256:one',
    problems: [],
    terminating: false,
    ...extra,
  };
}

function ns(name: string, labels: Record<string, string> = {}, terminating = false): NamespaceState {
  return { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, terminating };
}

/** The mirror planMirrors would have written for `of`, in `namespace`. */
function mirror(of: MirrorSource, namespace: string, extra: Partial<ExistingMirror> = {}): ExistingMirror {
  return {
    namespace,
    name: of.name,
    uid: `uid-${namespace}-${of.name}`,
    resourceVersion: '7',
    secretType: of.secretType,
    labels: { 'credinject.dev/type': of.labels['credinject.dev/type']!, 'credinject.dev/mirror': 'true' },
    annotations: { 'credinject.dev/mirrored-from': `${injector}/${of.name}`, 'credinject.dev/mirror-hash': of.dataHash },
    dataHash: of.dataHash,
    ...extra,
  };
}

function plan(input: Partial<MirrorPlanInput>) {
  return planMirrors({ injectorNamespace: injector, sources: [], namespaces: [], mirrors: [], isForeign: () => false, ...input });
}

const hf = source('hf', 'team=ml');
const namespaces = [ns(injector, { team: 'ml' }), ns('kube-system', { team: 'ml' }), ns('train', { team: 'ml' }), ns('web', { team: 'web' })];

describe('planMirrors', () => {
  it('creates a mirror in every selected namespace, and only there', () => {
    expect(plan({ sources: [hf], namespaces }).actions).toEqual([{ operation: 'create', namespace: 'train', name: 'hf' }]);
  });

  it.each([
    ['the injector namespace', ns(injector, { team: 'ml' })],
    ['kube-system', ns('kube-system', { team: 'ml' })],
    ['a namespace being deleted', ns('leaving', { team: 'ml' }, true)],
  ])('never mirrors into %s', (_case, namespace) => {
    expect(plan({ sources: [hf], namespaces: [namespace] }).actions).toEqual([]);
  });

  it('does nothing when every mirror is in sync', () => {
    expect(plan({ sources: [hf], namespaces, mirrors: [mirror(hf, 'train')] })).toEqual({ actions: [], conflicts: [], skipped: [] });
  });

  it.each<[string, Partial<ExistingMirror>]>([
    ['its data changed by hand', { dataHash: 'sha256:edited' }],
    ['its type label differs', { labels: { 'credinject.dev/type': 'generic', 'credinject.dev/mirror': 'true' } }],
    ['it carries a credinject annotation the source does not', {
      annotations: { 'credinject.dev/mirrored-from': `${injector}/hf`, 'credinject.dev/mirror-hash': 'hmac-sha256:one', 'credinject.dev/env-prefix': 'X_' },
    }],
    ['it carries the scope label', { labels: { 'credinject.dev/type': 'huggingface', 'credinject.dev/mirror': 'true', 'credinject.dev/scope': 'cluster' } }],
  ])('updates a mirror when %s', (_case, change) => {
    expect(plan({ sources: [hf], namespaces, mirrors: [mirror(hf, 'train', change)] }).actions).toEqual([
      { operation: 'update', namespace: 'train', name: 'hf' },
    ]);
  });

  const withHash = (hash: string): Partial<ExistingMirror> => ({ annotations: { 'credinject.dev/mirrored-from': `${injector}/hf`, 'credinject.dev/mirror-hash': hash } });

  it.each<[string, Partial<ExistingMirror>]>([
    ['carries the old unkeyed sha256 hash', withHash('sha256:4f2a')],
    ['carries a hash under a digest key since replaced', withHash('hmac-sha256:under-the-old-key')],
    ['carries no hash at all', { annotations: { 'credinject.dev/mirrored-from': `${injector}/hf` } }],
  ])('only rehashes a mirror whose data is the source’s but which %s (its data is never rewritten)', (_case, change) => {
    expect(plan({ sources: [hf], namespaces, mirrors: [mirror(hf, 'train', change)] }).actions).toEqual([
      { operation: 'rehash', namespace: 'train', name: 'hf', resourceVersion: '7', hash: 'hmac-sha256:one' },
    ]);
  });

  it('updates (not only rehashes) a mirror with the old hash whose data or metadata differ too', () => {
    const edited = mirror(hf, 'train', { ...withHash('sha256:4f2a'), dataHash: 'hmac-sha256:edited' });
    const described = { ...hf, annotations: { ...hf.annotations, 'credinject.dev/description': 'new' } };
    expect(plan({ sources: [hf], namespaces, mirrors: [edited] }).actions).toEqual([{ operation: 'update', namespace: 'train', name: 'hf' }]);
    expect(plan({ sources: [described], namespaces, mirrors: [mirror(hf, 'train', withHash('sha256:4f2a'))] }).actions).toEqual([
      { operation: 'update', namespace: 'train', name: 'hf' },
    ]);
  });

  it('is done after one rehash: the mirror as written back is in sync', () => {
    const rehashed = mirror(hf, 'train', { ...withHash('hmac-sha256:one'), resourceVersion: '8' });
    expect(plan({ sources: [hf], namespaces, mirrors: [rehashed] }).actions).toEqual([]);
  });

  it('updates every mirror when the source data changes', () => {
    const changed = { ...hf, dataHash: 'hmac-sha256:two' };
    const both = [ns('a', { team: 'ml' }), ns('b', { team: 'ml' })];
    expect(plan({ sources: [changed], namespaces: both, mirrors: [mirror(hf, 'a'), mirror(hf, 'b')] }).actions).toEqual([
      { operation: 'update', namespace: 'a', name: 'hf' },
      { operation: 'update', namespace: 'b', name: 'hf' },
    ]);
  });

  it('updates a mirror when the copied annotations of the source change', () => {
    const described = { ...hf, annotations: { ...hf.annotations, 'credinject.dev/description': 'shared HF token' } };
    expect(plan({ sources: [described], namespaces, mirrors: [mirror(hf, 'train')] }).actions).toEqual([
      { operation: 'update', namespace: 'train', name: 'hf' },
    ]);
  });

  it('leaves other tools’ labels, annotations and an allow-delete on a mirror alone', () => {
    const decorated = mirror(hf, 'train', {
      labels: { ...mirror(hf, 'train').labels, 'argocd.argoproj.io/instance': 'x' },
      annotations: { ...mirror(hf, 'train').annotations, 'credinject.dev/allow-delete': 'true', 'example.com/note': 'n' },
    });
    expect(plan({ sources: [hf], namespaces, mirrors: [decorated] }).actions).toEqual([]);
  });

  it.each<[string, Partial<MirrorPlanInput>, string]>([
    ['the namespace is no longer selected', { sources: [hf], namespaces: [ns('train', { team: 'web' })] }, 'not-selected'],
    ['the source is gone', { sources: [], namespaces }, 'source-gone'],
    ['the source is being deleted', { sources: [{ ...hf, terminating: true }], namespaces }, 'source-gone'],
    ['the source changed its Secret type', { sources: [{ ...hf, secretType: 'kubernetes.io/dockerconfigjson' }], namespaces }, 'type-changed'],
  ])('deletes a mirror when %s', (_case, input, reason) => {
    expect(plan({ ...input, mirrors: [mirror(hf, 'train')] }).actions).toEqual([
      { operation: 'delete', namespace: 'train', name: 'hf', uid: 'uid-train-hf', resourceVersion: '7', reason },
    ]);
  });

  it.each([
    ['the injector namespace', injector],
    ['kube-system', 'kube-system'],
  ])('never deletes a mirror-looking Secret in %s', (_case, namespace) => {
    expect(plan({ sources: [], namespaces, mirrors: [mirror(hf, namespace)] }).actions).toEqual([]);
  });

  it.each([
    ['a namespace being deleted', [ns('train', {}, true)]],
    ['a namespace not seen yet', []],
  ])('leaves the mirrors of %s to the namespace controller', (_case, known) => {
    expect(plan({ sources: [], namespaces: known, mirrors: [mirror(hf, 'train')] }).actions).toEqual([]);
  });

  it('reports a namespaced Secret of the same name as a conflict and leaves it alone', () => {
    const result = plan({ sources: [hf], namespaces, isForeign: (namespace, name) => namespace === 'train' && name === 'hf' });
    expect(result.actions).toEqual([]);
    expect(result.conflicts).toEqual([{ namespace: 'train', name: 'hf', reason: 'foreign-secret' }]);
  });

  it.each<[string, Partial<ExistingMirror>]>([
    ['a mirror of another namespace’s Secret', { annotations: { 'credinject.dev/mirrored-from': 'elsewhere/hf' } }],
    ['a mirror label without a back reference', { annotations: {} }],
  ])('never updates or deletes %s', (_case, change) => {
    const stranger = mirror(hf, 'train', { ...change, dataHash: 'sha256:other' });
    expect(plan({ sources: [hf], namespaces, mirrors: [stranger] })).toEqual({
      actions: [],
      conflicts: [{ namespace: 'train', name: 'hf', reason: 'other-mirror' }],
      skipped: [],
    });
    expect(plan({ sources: [], namespaces, mirrors: [stranger] }).actions).toEqual([]);
  });

  it('skips an invalid source and keeps its existing mirrors as they are', () => {
    const broken = { ...hf, problems: ['missing-key'], dataHash: 'sha256:broken' };
    const result = plan({ sources: [broken], namespaces: [...namespaces, ns('new', { team: 'ml' })], mirrors: [mirror(hf, 'train')] });
    expect(result.actions).toEqual([]);
    expect(result.skipped).toEqual([{ name: 'hf', problems: ['missing-key'] }]);
  });

  it('skips a source whose selector does not parse, even if nothing else flagged it', () => {
    const result = plan({ sources: [source('hf', 'team in ml')], namespaces, mirrors: [mirror(hf, 'train')] });
    expect(result.actions).toEqual([]);
    expect(result.skipped).toEqual([{ name: 'hf', problems: ['bad-namespace-selector'] }]);
  });

  it('plans several sources and namespaces in a stable order', () => {
    const all = source('all', 'kubernetes.io/metadata.name');
    const prod = source('prod', 'env in (prod)');
    const result = plan({
      sources: [prod, all],
      namespaces: [ns('b', { env: 'prod' }), ns('a'), ns(injector), ns('kube-system')],
      mirrors: [mirror(prod, 'a')],
    });
    expect(result.actions).toEqual([
      { operation: 'create', namespace: 'a', name: 'all' },
      { operation: 'create', namespace: 'b', name: 'all' },
      { operation: 'create', namespace: 'b', name: 'prod' },
      { operation: 'delete', namespace: 'a', name: 'prod', uid: 'uid-a-prod', resourceVersion: '7', reason: 'not-selected' },
    ]);
  });
});
