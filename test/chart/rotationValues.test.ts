import type { V1ClusterRole, V1Deployment, V1Role } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { renderChart } from './renderChart.js';

const helm = helmBinary();
if (!helm) announceMissing('the chart rotation tests', 'helm', 'hack/helm.sh');

const args = (objects: ReturnType<typeof renderChart>): string[] =>
  (objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'credinject') as V1Deployment).spec?.template.spec?.containers[0]?.args ?? [];
const roles = (objects: ReturnType<typeof renderChart>) => objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role') as (V1ClusterRole | V1Role)[];

describe.skipIf(!helm)('chart rotation.*', () => {
  it('is off by default: no rotation flag and no write on workloads', () => {
    const objects = renderChart();
    expect(args(objects).filter((arg) => arg.includes('rotat'))).toEqual([]);
    const writes = roles(objects).flatMap((role) => (role.rules ?? []).filter((rule) => rule.apiGroups?.includes('apps') && !rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v))));
    expect(writes).toEqual([]);
  });

  it.each([
    [{}, ['--rotate-workloads', '--rotation-default-action', 'restart', '--rotation-quiet-period', '10', '--rotation-qps', '5', '--rotation-burst', '10']],
    [{ defaultAction: 'none', quietPeriodSeconds: 30, qps: 2, burst: 4 }, ['--rotate-workloads', '--rotation-default-action', 'none', '--rotation-quiet-period', '30', '--rotation-qps', '2', '--rotation-burst', '4']],
  ])('enabled with %j passes the flags', (values, expected) => {
    const rendered = args(renderChart({ rotation: { enabled: true, ...values } }));
    const at = rendered.indexOf('--rotate-workloads');
    expect(rendered.slice(at, at + expected.length)).toEqual(expected);
  });

  it('grants patch on exactly Deployments, StatefulSets and DaemonSets, and create of Secrets only in its namespace', () => {
    const objects = renderChart({ rotation: { enabled: true } });
    const rotation = roles(objects).find((role) => role.metadata?.name === 'credinject-rotation');
    expect(rotation?.kind).toBe('ClusterRole');
    expect(rotation?.rules).toEqual([{ apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['patch'] }]);
    const digestKey = roles(objects).find((role) => role.metadata?.name === 'credinject-digest-key');
    expect(digestKey?.kind).toBe('Role');
    expect(digestKey?.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }]);
    const events = roles(objects).find((role) => role.metadata?.name === 'credinject-events');
    expect(events?.rules?.[0]?.verbs).toContain('create');
  });
});
