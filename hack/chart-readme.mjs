#!/usr/bin/env node
// Writes the values table of charts/credinject/README.md from the comments in values.yaml, between
// the markers <!-- values:start --> and <!-- values:end -->. The comment block right above a key
// (up to a blank line) is its description. A key gets a row when it is a scalar, a list, an empty
// map, or a map none of whose keys has a comment (a Kubernetes object default such as resources);
// otherwise its keys get rows. A key without a description is an error: every value is documented.
//
// Usage: node hack/chart-readme.mjs [--check] [--values FILE] [--readme FILE]
//   --check   write nothing; exit 1 when the README's table is not what values.yaml gives
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

const START = '<!-- values:start -->';
const END = '<!-- values:end -->';
const chart = (name) => fileURLToPath(new URL(`../charts/credinject/${name}`, import.meta.url));

/** The last paragraph of a comment block, as one line. */
function describe(comment) {
  if (!comment) return '';
  const paragraphs = comment.split(/\n[ \t]*\n/);
  return paragraphs[paragraphs.length - 1]
    .split('\n')
    .map((line) => line.trim())
    .join(' ')
    .trim();
}

/** The comment of each key of a map; the first key's may sit on the map itself. */
function keyComments(map, mapComment) {
  return map.items.map((pair, i) => pair.key?.commentBefore ?? (i === 0 ? mapComment : undefined));
}

/** Whether any key in a (nested) map has a comment: then its keys are documented one by one. */
function hasComments(map) {
  const comments = keyComments(map, map.commentBefore);
  return map.items.some((pair, i) => comments[i] || (isMap(pair.value) && hasComments(pair.value)));
}

function typeOf(value) {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Rows {key, type, default, description} of a values.yaml text; throws naming undocumented keys. */
export function valueRows(text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`values.yaml: ${doc.errors[0].message}`);
  const rows = [];
  const undocumented = [];
  const walk = (map, prefix, mapComment) => {
    const comments = keyComments(map, mapComment);
    map.items.forEach((pair, i) => {
      const key = `${prefix}${isScalar(pair.key) ? pair.key.value : String(pair.key)}`;
      const value = pair.value;
      if (isMap(value) && value.items.length > 0 && hasComments(value)) {
        walk(value, `${key}.`, value.commentBefore);
        return;
      }
      const description = describe(comments[i]);
      if (!description) undocumented.push(key);
      const js = isMap(value) || isSeq(value) || isScalar(value) ? value.toJSON() : value;
      rows.push({ key, type: typeOf(js), default: JSON.stringify(js ?? null), description });
    });
  };
  if (!isMap(doc.contents)) throw new Error('values.yaml: the top level is not a map');
  walk(doc.contents, '', undefined);
  if (undocumented.length > 0) {
    throw new Error(`values.yaml: no comment describes ${undocumented.join(', ')}: add one right above each key`);
  }
  return rows;
}

/** Text for a table cell: pipes escaped, and angle brackets outside `code` (Markdown would take <x> for HTML). */
const cell = (text) =>
  text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;')))
    .join('')
    .replaceAll('|', '\\|');

export function valuesTable(text) {
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const row of valueRows(text)) {
    lines.push(`| \`${row.key}\` | ${row.type} | \`${row.default.replaceAll('|', '\\|')}\` | ${cell(row.description)} |`);
  }
  return lines.join('\n');
}

/** The README with its table replaced. */
export function withTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`the README has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { check: { type: 'boolean' }, values: { type: 'string' }, readme: { type: 'string' } },
  });
  const valuesFile = values.values ?? chart('values.yaml');
  const readmeFile = values.readme ?? chart('README.md');
  try {
    const readme = readFileSync(readmeFile, 'utf8');
    const updated = withTable(readme, valuesTable(readFileSync(valuesFile, 'utf8')));
    if (values.check) {
      if (updated !== readme) {
        process.stderr.write(`${readmeFile}: the values table is out of date with ${valuesFile}: run node hack/chart-readme.mjs\n`);
        process.exit(1);
      }
    } else if (updated !== readme) {
      writeFileSync(readmeFile, updated);
      process.stderr.write(`wrote the values table of ${readmeFile}\n`);
    }
  } catch (err) {
    process.stderr.write(`chart-readme: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
