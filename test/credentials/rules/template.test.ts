import { describe, expect, it } from 'vitest';
import { fillTemplate, parseTemplate } from '../../../src/credentials/rules/template.js';

function fill(template: string, values: Record<string, string>) {
  const parsed = parseTemplate(template);
  if (!parsed.ok) throw new Error(parsed.message);
  return fillTemplate(parsed.tokens, (key) => values[key]);
}

describe('parseTemplate', () => {
  it('lists the keys a template uses, once each, in order of first use', () => {
    const parsed = parseTemplate('{{b}} {{{a}}} {{& b}} {{tls.crt}} {{! a comment }}');
    expect(parsed.ok && parsed.keys).toEqual(['b', 'a', 'tls.crt']);
  });

  it.each([
    ['{{#token}}on{{/token}}', 'sections ({{#…}}) are not supported'],
    ['{{^token}}off{{/token}}', 'inverted sections ({{^…}}) are not supported'],
    ['{{> other}}', 'partials ({{>…}}) are not supported'],
    ['{{token', 'Unclosed tag'],
    ['{{/token}}', 'Unopened section'],
  ])('refuses %j: %s', (template, message) => {
    const parsed = parseTemplate(template);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe('fillTemplate', () => {
  it('substitutes values exactly as stored: no HTML escaping, dotted names are key names', () => {
    expect(fill('<{{a}}|{{{a}}}|{{& a}}|{{tls.crt}}>', { a: `<&"'>`, 'tls.crt': 'x.y' })).toEqual({ ok: true, text: `<<&"'>|<&"'>|<&"'>|x.y>` });
  });

  it('keeps text, drops comments, and honours a change of delimiters', () => {
    expect(fill('a={{! note }}{{a}}\n{{=<% %>=}}b=<%a%> {{a}}', { a: 'v' })).toEqual({ ok: true, text: 'a=v\nb=v {{a}}' });
  });

  it('returns the first key without a value instead of an empty string', () => {
    expect(fill('{{a}}{{b}}{{c}}', { a: 'x' })).toEqual({ ok: false, missingKey: 'b' });
  });

  it('takes a value that looks like a tag literally', () => {
    expect(fill('{{a}}', { a: '{{b}}' })).toEqual({ ok: true, text: '{{b}}' });
  });
});
