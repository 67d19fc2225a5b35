/**
 * The lint gate's verdict (hack/lint-findings.mjs): the accepted-findings list must give a reason for
 * every entry and name only real targets, the tools' reports become findings, and a finding passes
 * only when an entry accepts it; an entry that accepts nothing fails too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  accepts,
  checkovFindings,
  DEFAULT_ACCEPTED,
  hadolintFindings,
  judge,
  kubeScoreFindings,
  parseAccepted,
} from '../../hack/lint-findings.mjs';
import { repoRoot } from '../fixtures/runCli.js';

const work = mkdtempSync(join(tmpdir(), 'credinject-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every target hack/lint.sh scans: the chart's modes, deploy/ and the Dockerfile. */
const TARGETS = [
  'default',
  ...readdirSync(join(repoRoot, 'charts', 'credinject', 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .map((f) => f.slice(0, -'-values.yaml'.length)),
  'deploy',
  'Dockerfile',
];

const REASON = '# a reason of enough words';

describe('the accepted-findings list (hack/lint-accepted.txt)', () => {
  const { entries, errors } = parseAccepted(readFileSync(DEFAULT_ACCEPTED, 'utf8'));

  it('parses, and every entry has a reason', () => {
    expect(errors).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.reason.split(/\s+/).length, `line ${entry.line}`).toBeGreaterThanOrEqual(4);
  });

  it('names only targets that hack/lint.sh scans', () => {
    const unknown = entries.flatMap((e) => e.targets.filter((t) => t !== '*' && !TARGETS.includes(t)).map((t) => `line ${e.line}: ${t}`));
    expect(unknown).toEqual([]);
  });
});

describe('parseAccepted', () => {
  it.each([
    ['no reason', 'checkov CKV_K8S_15 * *', 'needs a reason after "#"'],
    ['a reason of two words', 'checkov CKV_K8S_15 * * # just because', 'needs a reason after "#"'],
    ['three fields', `checkov CKV_K8S_15 * ${REASON}`, 'expected "tool check targets object # reason", got 3 field(s)'],
    ['an unknown tool', `kubelinter no-read-only-root-fs * * ${REASON}`, 'unknown tool "kubelinter"'],
    ['a checkov id in kube-score', `kube-score CKV_K8S_15 * * ${REASON}`, '"CKV_K8S_15" is not a kube-score check id'],
    ['a kube-score id in checkov', `checkov pod-networkpolicy * * ${REASON}`, '"pod-networkpolicy" is not a checkov check id'],
    ['a bad hadolint id', `hadolint DL30 Dockerfile * ${REASON}`, '"DL30" is not a hadolint check id'],
    ['an object without a kind', `checkov CKV_K8S_15 * credinject ${REASON}`, 'object "credinject" must be * or Kind/name'],
    ['a duplicate', `checkov CKV_K8S_15 * * ${REASON}\ncheckov CKV_K8S_15 * * ${REASON}`, 'line 2: checkov CKV_K8S_15 * * is listed twice'],
  ])('refuses %s', (_name, text, message) => {
    expect(parseAccepted(text).errors.join('\n')).toContain(message);
  });

  it('reads fields, target lists and the reason; skips comments and blank lines', () => {
    const { entries, errors } = parseAccepted(`# a comment\n\nkube-score deployment-replicas single-replica,url Deployment/credinject ${REASON}\n`);
    expect(errors).toEqual([]);
    expect(entries).toEqual([
      { line: 3, tool: 'kube-score', check: 'deployment-replicas', targets: ['single-replica', 'url'], object: 'Deployment/credinject', reason: 'a reason of enough words' },
    ]);
  });
});

const finding = { tool: 'kube-score', check: 'deployment-replicas', target: 'single-replica', object: 'Deployment/credinject', message: 'm' };

describe('accepts', () => {
  const entry = (targets: string, object: string) => parseAccepted(`kube-score deployment-replicas ${targets} ${object} ${REASON}`).entries[0]!;
  it.each([
    ['every target and object', entry('*', '*'), finding, true],
    ['its target and object', entry('url,single-replica', 'Deployment/credinject'), finding, true],
    ['another target', entry('default', '*'), finding, false],
    ['another object', entry('*', 'Pod/credinject-test'), finding, false],
    ['another check', entry('*', '*'), { ...finding, check: 'pod-probes' }, false],
    ['another tool', entry('*', '*'), { ...finding, tool: 'checkov' }, false],
  ])('an entry for %s: %s', (_name, e, f, want) => {
    expect(accepts(e, f)).toBe(want);
  });
});

describe('judge', () => {
  it('keeps unaccepted findings open, counts accepted ones per tool, reports entries that match nothing', () => {
    const { entries } = parseAccepted(
      [`kube-score deployment-replicas single-replica * ${REASON}`, `checkov CKV_K8S_15 * * ${REASON}`].join('\n'),
    );
    const open = { ...finding, check: 'pod-probes' };
    const verdict = judge([finding, { ...finding, target: 'url' }, open], entries);
    expect(verdict.open).toEqual([{ ...finding, target: 'url' }, open]);
    expect(verdict.acceptedByTool).toEqual({ 'kube-score': 1 });
    expect(verdict.stale.map((e) => e.check)).toEqual(['CKV_K8S_15']);
  });
});

describe('reports to findings', () => {
  it('kube-score: checks short of OK that are not skipped, per object, with the comments', () => {
    const check = (id: string, grade: number, skipped = false) => ({
      check: { id, name: id },
      grade,
      skipped,
      comments: [{ path: 'credinject', summary: `${id} says` }],
    });
    const report = [
      {
        type_meta: { kind: 'Deployment' },
        object_meta: { name: 'credinject' },
        checks: [check('deployment-replicas', 5), check('pod-probes', 10), check('container-ports-check', 1, true), check('container-image-pull-policy', 1)],
      },
    ];
    expect(kubeScoreFindings('single-replica', report)).toEqual([
      { tool: 'kube-score', check: 'deployment-replicas', target: 'single-replica', object: 'Deployment/credinject', message: 'credinject: deployment-replicas says' },
      { tool: 'kube-score', check: 'container-image-pull-policy', target: 'single-replica', object: 'Deployment/credinject', message: 'credinject: container-image-pull-policy says' },
    ]);
    expect(() => kubeScoreFindings('default', { error: 'x' })).toThrow('kube-score report of default is not a list of objects');
  });

  it('checkov: the target is the first folder, the object Kind/name (a Pod template keeps its name, not its labels)', () => {
    const report = [
      { check_type: 'dockerfile', results: { failed_checks: [{ check_id: 'CKV_DOCKER_2', check_name: 'HEALTHCHECK', file_path: '/Dockerfile/Dockerfile', resource: '/Dockerfile/Dockerfile.' }] } },
      {
        check_type: 'kubernetes',
        results: {
          failed_checks: [
            { check_id: 'CKV_K8S_43', check_name: 'digest', file_path: '/url/manifests.yaml', resource: 'Deployment.credinject-system.credinject' },
            { check_id: 'CKV2_K8S_6', check_name: 'netpol', file_path: '/deploy/credinject.yaml', resource: 'Pod.credinject-system.credinject.app.kubernetes.io/name-credinject' },
          ],
        },
      },
      { check_type: 'secrets', summary: {} },
    ];
    expect(checkovFindings(report)).toEqual([
      { tool: 'checkov', check: 'CKV_DOCKER_2', target: 'Dockerfile', object: '*', message: 'HEALTHCHECK' },
      { tool: 'checkov', check: 'CKV_K8S_43', target: 'url', object: 'Deployment/credinject', message: 'digest' },
      { tool: 'checkov', check: 'CKV2_K8S_6', target: 'deploy', object: 'Pod/credinject', message: 'netpol' },
    ]);
  });

  it('hadolint: every hit, with its line and level', () => {
    expect(hadolintFindings([{ code: 'DL3008', line: 12, level: 'warning', message: 'Pin versions in apt get install' }])).toEqual([
      { tool: 'hadolint', check: 'DL3008', target: 'Dockerfile', object: '*', message: 'line 12 (warning): Pin versions in apt get install' },
    ]);
  });
});

describe('node hack/lint-findings.mjs', () => {
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'hack', 'lint-findings.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: result.status, out: result.stdout + result.stderr };
  };

  it('--check-accepted passes on the repository list and fails on a list without reasons, naming the line', () => {
    expect(run('--check-accepted').code).toBe(0);
    const bad = join(work, 'bad.txt');
    writeFileSync(bad, 'checkov CKV_K8S_15 * *\n');
    const { code, out } = run('--check-accepted', '--accepted', bad);
    expect(code).toBe(1);
    expect(out).toContain(`${bad} line 1: checkov CKV_K8S_15 needs a reason`);
  });
});
