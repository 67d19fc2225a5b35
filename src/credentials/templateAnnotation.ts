import { isMap, isScalar, parseDocument } from 'yaml';
import { keys as annotationKeys } from '../contract/keys.js';
import type { CredentialProblem } from './credentialInfo.js';
import { parseTemplate } from './rules/template.js';

/** One file the owner's templates define: its name in the rendered directory, and its template. */
export interface TemplateFile {
  fileName: string;
  template: string;
}

export type TemplateFiles = { ok: true; files: TemplateFile[] } | { ok: false; problems: CredentialProblem[] };

/** Longest file name accepted: well under every filesystem's 255 bytes, and short enough to read. */
export const maxTemplateFileName = 100;
const fileNamePattern = /^[A-Za-z0-9._-]+$/;

const problem = (rule: string, message: string): CredentialProblem => ({ rule, message: `annotation ${annotationKeys.templates}: ${message}` });

/**
 * Why a file name cannot be one rendered file of its own, or undefined when it can. Names are
 * plain, so nothing can climb out of the credential's directory or hide in kubelet's `..` names.
 */
export function templateFileNameProblem(name: string): string | undefined {
  if (name.length > maxTemplateFileName) return `file name "${name.slice(0, 20)}…" is longer than ${maxTemplateFileName} characters`;
  if (name.includes('/') || name.includes('\\')) return `file name "${name}" has a path separator; templates render into the credential's own directory`;
  if (name === '.' || name.startsWith('..')) return `file name "${name}" is not allowed ("." and names starting with ".." are reserved)`;
  if (!fileNamePattern.test(name)) return `file name "${name}" may only hold letters, digits, ".", "_" and "-"`;
  return undefined;
}

/**
 * Read `credinject.dev/templates`: a YAML map of file name → template text. Every problem is
 * reported (bad YAML, bad names, non-text templates, templates that do not parse); none quotes a
 * Secret value, since the annotation holds templates, not values.
 */
export function templateFiles(text: string): TemplateFiles {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    const line = document.errors[0]?.linePos?.[0].line;
    return { ok: false, problems: [problem('bad-templates', `is not valid YAML${line === undefined ? '' : ` (line ${line})`}; write it as a map of file name to template, e.g. "app.ini: |" then the template indented below`)] };
  }
  if (!isMap(document.contents) || document.contents.items.length === 0) {
    return { ok: false, problems: [problem('bad-templates', 'must be a YAML map of file name to template, with at least one file')] };
  }
  const problems: CredentialProblem[] = [];
  const files: TemplateFile[] = [];
  for (const pair of document.contents.items) {
    const fileName = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (fileName === undefined) {
      problems.push(problem('bad-template-name', 'every file name must be plain text'));
      continue;
    }
    const nameProblem = templateFileNameProblem(fileName);
    if (nameProblem !== undefined) problems.push(problem('bad-template-name', nameProblem));
    const template = isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined;
    if (template === undefined) {
      problems.push(problem('bad-template', `the template of "${fileName}" is not text; a template with "{{" must be quoted or a block scalar ("${fileName}: |")`));
      continue;
    }
    const parsed = parseTemplate(template);
    if (!parsed.ok) problems.push(problem('bad-template', `the template of "${fileName}" does not parse: ${parsed.message}`));
    if (nameProblem === undefined && parsed.ok) files.push({ fileName, template });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, files };
}

/**
 * Check the templates against the Secret's keys: a tag naming a key the Secret lacks would render
 * a file with a hole, so it is refused when the Secret is written, naming file and key.
 */
export function checkTemplates(text: string, secretKeys: readonly string[]): CredentialProblem[] {
  const read = templateFiles(text);
  if (!read.ok) return read.problems;
  const problems: CredentialProblem[] = [];
  for (const { fileName, template } of read.files) {
    const parsed = parseTemplate(template);
    if (!parsed.ok) continue;
    for (const key of parsed.keys.filter((used) => !secretKeys.includes(used))) {
      problems.push({ rule: 'unknown-template-key', message: `annotation ${annotationKeys.templates}: the template of "${fileName}" uses key "${key}", which the Secret does not have (it has ${secretKeys.join(', ') || 'no keys'})` });
    }
  }
  return problems;
}
