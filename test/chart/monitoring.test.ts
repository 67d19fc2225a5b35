/**
 * The alerts (charts/credinject/monitoring/rules.yaml) and the Grafana dashboard
 * (monitoring/dashboard.json) query only metrics the server exports: every metric name in their
 * expressions must be in the /metrics of a real server (static mode, from a credentials file).
 * Then the chart ships both files as they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { credentialsFile } from '../admission/reviews.js';
import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { startTestServer } from '../server/testServer.js';
import { labelValuesMetric, metricNames } from './promql.js';
import { CHART, only, renderChart } from './renderChart.js';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  targets?: { expr: string; refId: string }[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

const rulesText = readFileSync(join(CHART, 'monitoring', 'rules.yaml'), 'utf8');
const dashboardText = readFileSync(join(CHART, 'monitoring', 'dashboard.json'), 'utf8');
const rules = (parse(rulesText) as RuleFile).groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(dashboardText) as Dashboard;

/** Every metric each expression queries, by where it is used. */
function queriedMetrics(): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const add = (name: string, where: string) => uses.set(name, [...(uses.get(name) ?? []), where]);
  for (const rule of rules) for (const name of metricNames(rule.expr)) add(name, `alert ${rule.alert}`);
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) for (const name of metricNames(target.expr)) add(name, `panel "${panel.title}"`);
  }
  for (const variable of dashboard.templating.list) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const name = variable.type === 'query' && query ? labelValuesMetric(query) : undefined;
    if (variable.type === 'query') expect(name, `variable ${variable.name}: label_values(<metric>, <label>)`).toBeDefined();
    if (name) add(name, `variable $${variable.name}`);
  }
  return uses;
}

/** The series names /metrics can hold: each family, and a histogram's or summary's sub-series. */
function exportedNames(metricsText: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('monitoring: alerts and dashboard', () => {
  it('query only metrics the server exports', async () => {
    const t = await startTestServer({ credentialsFile: fileURLToPath(credentialsFile) }, null);
    const metrics = (await request(t.opsUrl).get('/metrics').expect(200)).text;
    const exported = exportedNames(metrics);
    expect(exported).toContain('credinject_admission_requests_total');

    const queried = queriedMetrics();
    // What the issue asks them to watch: errors and latency, denials, mirror conflicts, informer sync.
    expect([...queried.keys()]).toEqual(
      expect.arrayContaining([
        'credinject_admission_requests_total',
        'credinject_admission_duration_seconds_bucket',
        'credinject_mirror_conflicts',
        'credinject_informer_synced',
        'credinject_credential_expiry_timestamp_seconds',
      ]),
    );
    const missing = [...queried].filter(([name]) => !exported.has(name)).map(([name, where]) => `${name} (${where.join(', ')})`);
    expect(missing, 'metrics queried but not in /metrics').toEqual([]);
  });

  it('rules: each alert has a severity, a summary, and a for duration that parses', () => {
    expect(rules.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
    }
  });

  it('dashboard: unique panel ids, every query on the chosen data source and job', () => {
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const panel of queries) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr, panel.title).toContain('job=~"$job"');
    }
  });
});

const helm = helmBinary();
if (!helm) announceMissing('the chart monitoring objects tests', 'helm', 'hack/helm.sh');

describe.skipIf(!helm)('monitoring: chart objects', () => {
  it('renders neither the PrometheusRule nor the dashboard ConfigMap by default', () => {
    const ids = renderChart().map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(ids).not.toContain('PrometheusRule/credinject');
    expect(ids).not.toContain('ConfigMap/credinject-dashboard');
  });

  it('ships rules.yaml as the PrometheusRule, with the Prometheus selector labels, where asked', () => {
    const objects = renderChart({ prometheusRule: { enabled: true, namespace: 'monitoring', labels: { release: 'prometheus' } } });
    const rule = only<KubernetesObject & { spec: unknown }>(objects, 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'credinject', namespace: 'monitoring', labels: { release: 'prometheus', 'app.kubernetes.io/name': 'credinject' } });
    expect(rule.spec).toEqual(parse(rulesText));
  });

  it('ships dashboard.json in a ConfigMap with the Grafana sidecar label', () => {
    const objects = renderChart({ grafanaDashboard: { enabled: true, annotations: { grafana_folder: 'Platform' } } });
    const map = only<V1ConfigMap>(objects, 'ConfigMap', 'credinject-dashboard');
    expect(map.metadata?.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(map.metadata?.annotations).toEqual({ grafana_folder: 'Platform' });
    expect(JSON.parse(map.data!['credinject.json']!)).toEqual(dashboard);
  });
});
