import { describe, expect, it } from 'vitest';
import { parseLabelSelector, selectorMatches, type SelectorRequirement } from '../../src/credentials/labelSelector.js';

function requirements(text: string): SelectorRequirement[] {
  const parsed = parseLabelSelector(text);
  if ('error' in parsed) throw new Error(`unexpected error for ${text}: ${parsed.error}`);
  return parsed.selector.requirements;
}

describe('parseLabelSelector', () => {
  it.each<[string, SelectorRequirement[]]>([
    ['team=ml', [{ key: 'team', operator: 'Equals', values: ['ml'] }]],
    ['team==ml', [{ key: 'team', operator: 'Equals', values: ['ml'] }]],
    ['team!=ml', [{ key: 'team', operator: 'NotEquals', values: ['ml'] }]],
    ['team=', [{ key: 'team', operator: 'Equals', values: [''] }]],
    ['env in (dev,prod)', [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }]],
    ['env notin (dev, prod)', [{ key: 'env', operator: 'NotIn', values: ['dev', 'prod'] }]],
    ['env in(dev)', [{ key: 'env', operator: 'In', values: ['dev'] }]],
    ['env in (dev,dev)', [{ key: 'env', operator: 'In', values: ['dev'] }]],
    ['gpu', [{ key: 'gpu', operator: 'Exists', values: [] }]],
    ['!gpu', [{ key: 'gpu', operator: 'DoesNotExist', values: [] }]],
    ['kubernetes.io/metadata.name', [{ key: 'kubernetes.io/metadata.name', operator: 'Exists', values: [] }]],
    [
      'team=ml,env in (dev,prod)',
      [
        { key: 'team', operator: 'Equals', values: ['ml'] },
        { key: 'env', operator: 'In', values: ['dev', 'prod'] },
      ],
    ],
    [
      '  team = ml ,  !legacy , tier ',
      [
        { key: 'team', operator: 'Equals', values: ['ml'] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'tier', operator: 'Exists', values: [] },
      ],
    ],
    ['example.com/team_name=ML-1.x', [{ key: 'example.com/team_name', operator: 'Equals', values: ['ML-1.x'] }]],
  ])('reads %j', (text, expected) => {
    expect(requirements(text)).toEqual(expected);
  });

  it.each([
    ['an empty selector', '', 'empty'],
    ['only spaces', '   ', 'empty'],
    ['a trailing comma', 'team=ml,', 'label key'],
    ['a leading comma', ',team=ml', 'label key'],
    ['two requirements without a comma', 'team=ml env=dev', '","'],
    ['a numeric comparison', 'replicas>1', 'not supported'],
    ['an unclosed set', 'env in (dev,prod', '","'],
    ['an empty set', 'env in ()', 'value in the set'],
    ['a set without parentheses', 'env in dev', '"("'],
    ['an empty value in a set', 'env in (dev,)', 'value in the set'],
    ['a key that is not a label key', '-team=ml', 'not a label key'],
    ['a key with an upper-case prefix', 'Example.com/team=ml', 'prefix'],
    ['a value that is not a label value', 'team=-ml', 'not a label value'],
    ['a value too long', `team=${'a'.repeat(64)}`, 'not a label value'],
    ['a key too long', `${'k'.repeat(64)}=v`, 'not a label key'],
    ['a bare operator', '=ml', 'label key'],
    ['a negated requirement with a value', '!team=ml', '","'],
    ['a lone "!"', '!', 'label key'],
    ['a set-based operator missing its key', 'in (a)', '"("'],
  ])('refuses %s with a reason', (_case, text, reason) => {
    const parsed = parseLabelSelector(text);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain(reason);
  });
});

describe('selectorMatches', () => {
  const ml = { 'kubernetes.io/metadata.name': 'train', team: 'ml', env: 'dev' };
  const web = { 'kubernetes.io/metadata.name': 'web', team: 'web' };
  const bare = { 'kubernetes.io/metadata.name': 'bare' };

  it.each<[string, Record<string, string>, boolean]>([
    ['team=ml', ml, true],
    ['team=ml', web, false],
    ['team=ml', bare, false],
    ['team!=ml', web, true],
    ['team!=ml', bare, true],
    ['team!=ml', ml, false],
    ['env in (dev,prod)', ml, true],
    ['env in (dev,prod)', web, false],
    ['env notin (dev,prod)', ml, false],
    ['env notin (dev,prod)', bare, true],
    ['team', bare, false],
    ['!team', bare, true],
    ['!team', ml, false],
    ['team=ml,env in (dev,prod)', ml, true],
    ['team=ml,env in (staging)', ml, false],
    ['kubernetes.io/metadata.name', bare, true],
    ['team=', { team: '' }, true],
  ])('%j on %j is %s', (text, labels, expected) => {
    const parsed = parseLabelSelector(text);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(selectorMatches(parsed.selector, labels)).toBe(expected);
  });

  it('does not take inherited properties for labels', () => {
    const parsed = parseLabelSelector('constructor');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(selectorMatches(parsed.selector, {})).toBe(false);
  });
});
