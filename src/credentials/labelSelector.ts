/**
 * The label selector syntax of `kubectl -l` (k8s.io/apimachinery `labels.Parse`), for the
 * `credinject.dev/namespace-selector` annotation: comma-separated requirements `k=v`, `k==v`,
 * `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists) and `!k` (does not exist). The numeric
 * `gt`/`lt` forms and set-based selectors without a key are refused. Pure: no Kubernetes calls.
 */
import { isDnsSubdomain } from '../contract/names.js';

export type SelectorOperator = 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  /** One value for Equals/NotEquals, one or more for In/NotIn, none for Exists/DoesNotExist. */
  values: string[];
}

export interface LabelSelector {
  requirements: SelectorRequirement[];
}

export type ParsedSelector = { selector: LabelSelector } | { error: string };

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '(' | ')' | ','; at: number }
  | { kind: 'unsupported'; text: string; at: number }
  | { kind: 'end'; at: number };

/** Characters that end a word: whitespace and the selector's own symbols. */
const special = /[\s!=(),<>]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: 'op', text: two, at: i });
      i += 2;
    } else if (c === '=' || c === '!' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'op', text: c, at: i });
      i++;
    } else if (c === '<' || c === '>') {
      tokens.push({ kind: 'unsupported', text: c, at: i });
      i++;
    } else {
      const start = i;
      while (i < text.length && !special.test(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

const nameRule = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A label key: `[prefix/]name`, prefix a DNS subdomain (≤ 253), name ≤ 63 (like Kubernetes). */
function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return `"${key}" is not a label key: its prefix must be a DNS subdomain`;
  }
  if (name.length > 63 || !nameRule.test(name)) {
    return `"${key}" is not a label key: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** A label value: empty, or ≤ 63 letters, digits, `-_.`, starting and ending alphanumeric. */
function valueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && nameRule.test(value))) return undefined;
  return `"${value}" is not a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
}

const describe = (token: Token): string => (token.kind === 'end' ? 'the end' : `"${token.text}"`);

/** Parses a selector; errors are values naming what was expected where (they quote the text). */
export function parseLabelSelector(text: string): ParsedSelector {
  if (text.trim() === '') return { error: 'the selector is empty' };
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token => tokens[position]!;
  const next = (): Token => tokens[position++]!;
  const isOp = (token: Token, op: string): boolean => token.kind === 'op' && token.text === op;

  function key(): string | { error: string } {
    const token = next();
    if (token.kind !== 'word') return { error: `expected a label key at ${describe(token)} (position ${token.at})` };
    const problem = keyProblem(token.text);
    return problem ? { error: problem } : token.text;
  }

  function value(): string | { error: string } {
    const token = peek();
    // `k=` selects an empty value, as in kubectl.
    if (token.kind === 'end' || isOp(token, ',')) return '';
    next();
    if (token.kind !== 'word') return { error: `expected a label value at ${describe(token)} (position ${token.at})` };
    return valueProblem(token.text) ? { error: valueProblem(token.text)! } : token.text;
  }

  function valueSet(): string[] | { error: string } {
    const open = next();
    if (!isOp(open, '(')) return { error: `expected "(" after in/notin at ${describe(open)} (position ${open.at})` };
    const values: string[] = [];
    for (;;) {
      const token = next();
      if (token.kind !== 'word') return { error: `expected a value in the set at ${describe(token)} (position ${token.at})` };
      const problem = valueProblem(token.text);
      if (problem) return { error: problem };
      if (!values.includes(token.text)) values.push(token.text);
      const after = next();
      if (isOp(after, ')')) return values;
      if (!isOp(after, ',')) return { error: `expected "," or ")" in the set at ${describe(after)} (position ${after.at})` };
    }
  }

  function requirement(): SelectorRequirement | { error: string } {
    if (isOp(peek(), '!')) {
      next();
      const k = key();
      return typeof k === 'string' ? { key: k, operator: 'DoesNotExist', values: [] } : k;
    }
    const k = key();
    if (typeof k !== 'string') return k;
    const token = peek();
    if (token.kind === 'end' || isOp(token, ',')) return { key: k, operator: 'Exists', values: [] };
    if (token.kind === 'unsupported') return { error: `operator "${token.text}" is not supported here; use =, ==, !=, in, notin, exists or !` };
    if (token.kind === 'op' && (token.text === '=' || token.text === '==' || token.text === '!=')) {
      next();
      const v = value();
      if (typeof v !== 'string') return v;
      return { key: k, operator: token.text === '!=' ? 'NotEquals' : 'Equals', values: [v] };
    }
    if (token.kind === 'word' && (token.text === 'in' || token.text === 'notin')) {
      next();
      const values = valueSet();
      if (!Array.isArray(values)) return values;
      return { key: k, operator: token.text === 'in' ? 'In' : 'NotIn', values };
    }
    return { error: `expected =, ==, !=, in or notin after "${k}", found ${describe(token)} (position ${token.at})` };
  }

  const requirements: SelectorRequirement[] = [];
  for (;;) {
    const parsed = requirement();
    if ('error' in parsed) return parsed;
    requirements.push(parsed);
    const token = next();
    if (token.kind === 'end') return { selector: { requirements } };
    if (!isOp(token, ',')) return { error: `expected "," between requirements at ${describe(token)} (position ${token.at})` };
  }
}

/** True when `labels` satisfy every requirement (absent keys satisfy `!=` and `notin`, as in Kubernetes). */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Equals':
      case 'In':
        return has && values.includes(value!);
      case 'NotEquals':
      case 'NotIn':
        return !has || !values.includes(value!);
    }
  });
}
