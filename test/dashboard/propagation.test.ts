import { describe, expect, it } from 'vitest';
import { keys } from '../../src/contract/keys.js';
import { copiesBySource, propagationOf } from '../../src/dashboard/propagation.js';
import type { DashboardSnapshot, NamespaceRecord } from '../../src/dashboard/snapshot.js';
import { credential, marker } from './fixtures.js';

const source = credential({
  name: 'hf-shared',
  namespace: 'credinject',
  labels: { [keys.scopeLabel]: 'cluster' },
  annotations: { [keys.namespaceSelector]: 'team=ml' },
});
const copy = (namespace: string, token = marker.hf, extra: { annotations?: Record<string, string> } = {}) =>
  credential({
    name: 'hf-shared',
    namespace,
    data: { token },
    labels: { [keys.mirrorLabel]: 'true' },
    annotations: { [keys.mirroredFrom]: 'credinject/hf-shared', [keys.mirrorHash]: 'sha256:abc', ...extra.annotations },
  });
const ns = (name: string, labels: Record<string, string> = { team: 'ml' }, terminating = false): NamespaceRecord => ({ name, labels, terminating });
const namespaces = [ns('credinject'), ns('kube-system'), ns('ml-a'), ns('ml-b'), ns('web', { team: 'web' }), ns('ml-gone', { team: 'ml' }, true)];

type Case = [string, ReturnType<typeof copy>[], Pick<DashboardSnapshot, 'namespaces' | 'secretsListedIn'>, Record<string, string>, number];

describe('propagationOf', () => {
  it.each<Case>([
    ['every selected namespace holds a current copy', [copy('ml-a'), copy('ml-b')], { namespaces, secretsListedIn: 'all' }, { 'ml-a': 'current', 'ml-b': 'current' }, 0],
    ['a selected namespace has no copy yet', [copy('ml-a')], { namespaces, secretsListedIn: 'all' }, { 'ml-a': 'current', 'ml-b': 'missing' }, 1],
    ['a copy holds old data', [copy('ml-a', 'hf_old'), copy('ml-b')], { namespaces, secretsListedIn: 'all' }, { 'ml-a': 'outdated', 'ml-b': 'current' }, 1],
    [
      'a copy in a namespace no longer selected is leaving, not pending',
      [copy('ml-a'), copy('ml-b'), copy('web')],
      { namespaces, secretsListedIn: 'all' },
      { 'ml-a': 'current', 'ml-b': 'current', web: 'leaving' },
      0,
    ],
    ['namespaces whose Secrets were not listed are not judged', [copy('ml-a')], { namespaces, secretsListedIn: ['ml-a'] }, { 'ml-a': 'current' }, 0],
    ['without the Namespace list only existing copies are judged', [copy('ml-a', 'hf_old')], { secretsListedIn: 'all' }, { 'ml-a': 'outdated' }, 1],
  ])('%s', (_, copies, view, states, pending) => {
    const propagation = propagationOf(source, copies, view);
    expect(Object.fromEntries(propagation.copies.map((c) => [c.namespace, c.state]))).toEqual(states);
    expect(propagation.pending).toBe(pending);
    expect(propagation.namespacesKnown).toBe(view.namespaces !== undefined);
  });

  it('reports a selector that does not parse and judges only the existing copies', () => {
    const broken = credential({ name: 'hf-shared', namespace: 'credinject', labels: { [keys.scopeLabel]: 'cluster' }, annotations: { [keys.namespaceSelector]: 'team in (' } });
    const propagation = propagationOf(broken, [copy('ml-a')], { namespaces, secretsListedIn: 'all' });
    expect(propagation.selectorError).toBeTruthy();
    expect(propagation.copies).toEqual([{ namespace: 'ml-a', state: 'current' }]);
  });
});

describe('copiesBySource', () => {
  it('groups copies by source and ignores Secrets that only claim to be one', () => {
    const impostor = credential({ name: 'other-name', namespace: 'ml-a', labels: { [keys.mirrorLabel]: 'true' }, annotations: { [keys.mirroredFrom]: 'credinject/hf-shared' } });
    const unlabelled = credential({ name: 'hf-shared', namespace: 'ml-b', annotations: { [keys.mirroredFrom]: 'credinject/hf-shared' } });
    const grouped = copiesBySource([source, copy('ml-a'), impostor, unlabelled]);
    expect([...grouped.keys()]).toEqual(['credinject/hf-shared']);
    expect(grouped.get('credinject/hf-shared')!.map((c) => c.info.namespace)).toEqual(['ml-a']);
  });
});
