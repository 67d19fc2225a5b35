#!/usr/bin/env node
// The lint gate's verdict: reads the linters' JSON reports that hack/lint.sh wrote and the accepted
// findings of hack/lint-accepted.txt, prints every finding nobody accepted and every accepted entry
// that no longer matches anything (a fixed finding must leave the list too), and exits 1 on either.
//
// Usage: node hack/lint-findings.mjs RESULTS_DIR [--accepted FILE]
//        node hack/lint-findings.mjs --check-accepted [--accepted FILE]   (the list alone: syntax, reasons)
// RESULTS_DIR holds:
//   kube-score/<target>.json  `kube-score score -o json` of one target (a chart mode, or deploy)
//   checkov.json              `checkov -o json` over a folder with one sub-folder per target
//                             (<mode>/, deploy/, Dockerfile/), so a file's first folder names its target
//   hadolint.json             `hadolint -f json` of the Dockerfile (target Dockerfile)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const DEFAULT_ACCEPTED = fileURLToPath(new URL('./lint-accepted.txt', import.meta.url));

/** How each tool names its checks; an entry whose check does not look like one is a typo. */
const CHECK_PATTERNS = {
  'kube-score': /^[a-z0-9]+(-[a-z0-9]+)*$/,
  checkov: /^CKV2?_[A-Z0-9]+_\d+$/,
  hadolint: /^(DL|SC)\d{4}$/,
};
export const TOOLS = Object.keys(CHECK_PATTERNS);
// A reason says why the finding does not apply; a word or two cannot.
const MIN_REASON_WORDS = 4;

/**
 * @typedef {{ tool: string, check: string, target: string, object: string, message: string }} Finding
 *   object: Kind/name of the Kubernetes object, or '*' for a Dockerfile finding.
 * @typedef {{ line: number, tool: string, check: string, targets: string[], object: string, reason: string }} Accepted
 *   targets: ['*'] for every target.
 */

/**
 * Parses the accepted-findings list. A line is `tool check targets object # reason`, where targets
 * is `*` or a comma-separated list and object is `*` or Kind/name; `#` lines are comments.
 * @param {string} text
 * @returns {{ entries: Accepted[], errors: string[] }}
 */
export function parseAccepted(text) {
  /** @type {Accepted[]} */
  const entries = [];
  /** @type {string[]} */
  const errors = [];
  const seen = new Set();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const hash = trimmed.indexOf('#');
    const fields = (hash < 0 ? trimmed : trimmed.slice(0, hash)).trim().split(/\s+/);
    const reason = hash < 0 ? '' : trimmed.slice(hash + 1).trim();
    const [tool = '', check = '', targets = '', object = ''] = fields;
    const where = `line ${line}`;
    if (fields.length !== 4) {
      errors.push(`${where}: expected "tool check targets object # reason", got ${fields.length} field(s)`);
      return;
    }
    const pattern = CHECK_PATTERNS[/** @type {keyof typeof CHECK_PATTERNS} */ (tool)];
    if (!pattern) {
      errors.push(`${where}: unknown tool "${tool}" (one of ${TOOLS.join(', ')})`);
      return;
    }
    if (!pattern.test(check)) errors.push(`${where}: "${check}" is not a ${tool} check id`);
    if (object !== '*' && !/^[A-Za-z]+\/[a-z0-9.-]+$/.test(object)) {
      errors.push(`${where}: object "${object}" must be * or Kind/name`);
    }
    if (reason.split(/\s+/).filter(Boolean).length < MIN_REASON_WORDS) {
      errors.push(`${where}: ${tool} ${check} needs a reason after "#" (at least ${MIN_REASON_WORDS} words: why it does not apply)`);
    }
    const key = `${tool} ${check} ${targets} ${object}`;
    if (seen.has(key)) errors.push(`${where}: ${key} is listed twice`);
    seen.add(key);
    entries.push({ line, tool, check, targets: targets.split(','), object, reason });
  });
  return { entries, errors };
}

/**
 * @param {Accepted} entry
 * @param {Finding} finding
 */
export function accepts(entry, finding) {
  return (
    entry.tool === finding.tool &&
    entry.check === finding.check &&
    (entry.targets.includes('*') || entry.targets.includes(finding.target)) &&
    (entry.object === '*' || entry.object === finding.object)
  );
}

// kube-score grades: 1 critical, 5 warning, 7 almost ok, 10 ok. Anything short of ok is a finding.
const KUBE_SCORE_OK = 10;

/**
 * @param {string} target
 * @param {any} report `kube-score score -o json`: one entry per object, each with its checks
 * @returns {Finding[]}
 */
export function kubeScoreFindings(target, report) {
  if (!Array.isArray(report)) throw new Error(`kube-score report of ${target} is not a list of objects`);
  return report.flatMap((object) =>
    (object.checks ?? [])
      .filter((/** @type {any} */ c) => !c.skipped && c.grade < KUBE_SCORE_OK)
      .map((/** @type {any} */ c) => ({
        tool: 'kube-score',
        check: c.check.id,
        target,
        object: `${object.type_meta.kind}/${object.object_meta.name}`,
        message: (c.comments ?? []).map((/** @type {any} */ m) => [m.path, m.summary].filter(Boolean).join(': ')).join('; ') || c.check.name,
      })),
  );
}

/**
 * @param {any} report `checkov -o json`: one report, or one per framework
 * @returns {Finding[]}
 */
export function checkovFindings(report) {
  const reports = Array.isArray(report) ? report : [report];
  return reports.flatMap((r) => {
    if (!r || typeof r !== 'object' || !('results' in r)) {
      // checkov writes a summary without results when a framework found no files.
      return [];
    }
    return (r.results.failed_checks ?? []).map((/** @type {any} */ c) => {
      const target = String(c.file_path).replace(/^\/+/, '').split('/')[0] ?? '';
      // Kubernetes resources are Kind.namespace.name (a Deployment's Pod template appends its
      // labels after the name; our names have no dots); a Dockerfile's are <path>.<INSTRUCTION>.
      const [kind = '', , name = ''] = String(c.resource).split('.');
      const object = r.check_type === 'kubernetes' ? `${kind}/${name}` : '*';
      return { tool: 'checkov', check: c.check_id, target, object, message: c.check_name };
    });
  });
}

/**
 * @param {any} report `hadolint -f json`: a list of rule hits
 * @returns {Finding[]}
 */
export function hadolintFindings(report) {
  if (!Array.isArray(report)) throw new Error('hadolint report is not a list');
  return report.map((hit) => ({
    tool: 'hadolint',
    check: hit.code,
    target: 'Dockerfile',
    object: '*',
    message: `line ${hit.line} (${hit.level}): ${hit.message}`,
  }));
}

/**
 * @param {Finding[]} findings
 * @param {Accepted[]} entries
 */
export function judge(findings, entries) {
  const used = new Set();
  /** @type {Finding[]} */
  const open = [];
  /** @type {Record<string, number>} */
  const acceptedByTool = {};
  for (const finding of findings) {
    const entry = entries.find((e) => accepts(e, finding));
    if (!entry) {
      open.push(finding);
      continue;
    }
    used.add(entry);
    acceptedByTool[finding.tool] = (acceptedByTool[finding.tool] ?? 0) + 1;
  }
  const stale = entries.filter((e) => !used.has(e));
  return { open, stale, acceptedByTool };
}

/** @param {string} dir */
function readReports(dir) {
  const json = (/** @type {string} */ file) => JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Finding[]} */
  const findings = [];
  const kubeScoreDir = join(dir, 'kube-score');
  const kubeScoreFiles = existsSync(kubeScoreDir) ? readdirSync(kubeScoreDir).filter((f) => f.endsWith('.json')) : [];
  if (kubeScoreFiles.length === 0) throw new Error(`no kube-score reports in ${kubeScoreDir}`);
  for (const file of kubeScoreFiles) findings.push(...kubeScoreFindings(basename(file, '.json'), json(join(kubeScoreDir, file))));
  findings.push(...checkovFindings(json(join(dir, 'checkov.json'))));
  findings.push(...hadolintFindings(json(join(dir, 'hadolint.json'))));
  return findings;
}

/** @param {Finding} f */
const show = (f) => `${f.tool} ${f.check} ${f.target} ${f.object}: ${f.message}`;

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { accepted: { type: 'string', default: DEFAULT_ACCEPTED }, 'check-accepted': { type: 'boolean', default: false } },
  });
  const listFile = /** @type {string} */ (values.accepted);
  const { entries, errors } = parseAccepted(readFileSync(listFile, 'utf8'));
  for (const error of errors) console.error(`${listFile} ${error}`);
  if (errors.length > 0) return 1;
  if (values['check-accepted']) return 0;

  const [dir] = positionals;
  if (!dir) throw new Error('usage: node hack/lint-findings.mjs RESULTS_DIR [--accepted FILE]');
  const { open, stale, acceptedByTool } = judge(readReports(dir), entries);
  for (const f of open) console.log(`FINDING ${show(f)}`);
  for (const e of stale) {
    console.log(`STALE   ${listFile}:${e.line}: ${e.tool} ${e.check} ${e.targets.join(',')} ${e.object} matches no finding any more: remove the line`);
  }
  const counts = TOOLS.map((t) => `${t} ${acceptedByTool[t] ?? 0}`).join(', ');
  console.log(`lint: ${open.length} open finding(s), ${stale.length} stale accepted entr${stale.length === 1 ? 'y' : 'ies'}; accepted: ${counts}`);
  if (open.length > 0) {
    console.log('Fix each FINDING in the chart, deploy/ (hack/render-deploy.sh) or the Dockerfile, or accept it in hack/lint-accepted.txt with a reason.');
  }
  return open.length + stale.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main();
}
