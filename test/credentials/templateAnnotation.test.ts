import { describe, expect, it } from 'vitest';
import { templateFileNameProblem, templateFiles } from '../../src/credentials/templateAnnotation.js';
import { validateCredential } from '../../src/credentials/validateCredential.js';
import { credentialSecret } from '../fixtures/secrets.js';

const withTemplates = (templates: string, data: Record<string, string> = { TOKEN: 'fake', HOST: 'h' }) =>
  credentialSecret('app', 'generic', data, { metadata: { annotations: { 'credinject.dev/templates': templates } } });

describe('templateFiles (credinject.dev/templates)', () => {
  it('reads a YAML map of file name to template, in its order', () => {
    expect(templateFiles('app.ini: |\n  token = {{TOKEN}}\n.env: "T={{{TOKEN}}}"\n')).toEqual({
      ok: true,
      files: [
        { fileName: 'app.ini', template: 'token = {{TOKEN}}\n' },
        { fileName: '.env', template: 'T={{{TOKEN}}}' },
      ],
    });
  });

  it.each([
    ['not YAML', 'a: [', 'is not valid YAML (line 1)'],
    ['a list', '- a.ini', 'must be a YAML map of file name to template, with at least one file'],
    ['an empty map', '{}', 'with at least one file'],
    ['a duplicate file name', 'a: x\na: y', 'is not valid YAML'],
    ['an unquoted template, which YAML reads as a map', 'a: {{TOKEN}}', 'the template of "a" is not text'],
    ['a template that does not parse', 'a: "{{#TOKEN}}x{{/TOKEN}}"', 'the template of "a" does not parse: sections'],
  ])('refuses %s', (_case, text, message) => {
    const read = templateFiles(text);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems.map((problem) => problem.message).join('\n')).toContain(message);
  });
});

describe('templateFileNameProblem', () => {
  it.each(['app.ini', '.env', 'clearml.conf', 'db-url', 'a_b.1'])('accepts %j', (name) => {
    expect(templateFileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['../etc/passwd', 'has a path separator'],
    ['a/b', 'has a path separator'],
    ['a\\b', 'has a path separator'],
    ['..data', 'names starting with ".." are reserved'],
    ['..', 'names starting with ".." are reserved'],
    ['.', '"." and names starting'],
    ['', 'may only hold'],
    ['a b', 'may only hold letters, digits'],
    ['x'.repeat(101), 'longer than 100 characters'],
  ])('refuses %j: %s', (name, message) => {
    expect(templateFileNameProblem(name)).toContain(message);
  });
});

describe('templates at Secret admission', () => {
  it('accepts templates over the keys the Secret has', () => {
    expect(validateCredential(withTemplates('app.ini: "{{HOST}}: {{TOKEN}}"'))).toEqual([]);
  });

  it('refuses a template naming a key the Secret does not have, naming the file, the key and the keys there are', () => {
    expect(validateCredential(withTemplates('app.ini: "{{HOST}}: {{TOKN}}"'))).toEqual([
      {
        rule: 'unknown-template-key',
        message: 'annotation credinject.dev/templates: the template of "app.ini" uses key "TOKN", which the Secret does not have (it has TOKEN, HOST)',
      },
    ]);
  });

  it('reports every bad file of the annotation', () => {
    const rules = validateCredential(withTemplates('../a: "{{TOKEN}}"\nb: "{{#TOKEN}}{{/TOKEN}}"\nc: "{{NOPE}}"')).map((problem) => problem.rule);
    expect(rules).toEqual(['bad-template-name', 'bad-template']);
  });
});
