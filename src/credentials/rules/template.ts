import Mustache from 'mustache';

/**
 * The owner's templates (`credinject.dev/templates`) are mustache, parsed by mustache.js and filled
 * in by the walk below, which keeps them plain substitution: a tag names one Secret key, exactly
 * (`{{tls.crt}}` is the key "tls.crt", not a path into an object), and the value goes in unescaped
 * (`{{x}}` and `{{{x}}}` alike: these are config files, not HTML). Sections, partials and lambdas
 * are refused: there is nothing to loop over or call, and a key is either there or an error.
 */

type Token = [type: string, value: string, ...rest: unknown[]];

export type ParsedTemplate = { ok: true; tokens: readonly Token[]; keys: string[] } | { ok: false; message: string };

const refused: Record<string, string> = {
  '#': 'sections ({{#…}}) are not supported: a template only substitutes keys',
  '^': 'inverted sections ({{^…}}) are not supported: a template only substitutes keys',
  '>': 'partials ({{>…}}) are not supported: a template only substitutes keys',
};

/**
 * Parse a template and list the keys it uses. mustache.js's messages name tags and positions of
 * the template (which holds key names, never values); a fresh Writer per call keeps no cache.
 */
export function parseTemplate(template: string): ParsedTemplate {
  let tokens: Token[];
  try {
    tokens = new Mustache.Writer().parse(template) as Token[];
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : 'does not parse' };
  }
  const keys: string[] = [];
  for (const [type, value] of tokens) {
    const problem = refused[type];
    if (problem !== undefined) return { ok: false, message: `${problem} (found "${value}")` };
    if ((type === 'name' || type === '&') && !keys.includes(value)) keys.push(value);
  }
  return { ok: true, tokens, keys };
}

/**
 * Fill a parsed template with the values of `lookup` (key → text). Returns the first key that has no
 * value instead of rendering an empty string where a credential should be.
 */
export function fillTemplate(tokens: readonly Token[], lookup: (key: string) => string | undefined): { ok: true; text: string } | { ok: false; missingKey: string } {
  let text = '';
  for (const [type, value] of tokens) {
    if (type === 'text') {
      text += value;
    } else if (type === 'name' || type === '&') {
      const filled = lookup(value);
      if (filled === undefined) return { ok: false, missingKey: value };
      text += filled;
    }
    // '!' comments and '=' delimiter changes produce nothing.
  }
  return { ok: true, text };
}
