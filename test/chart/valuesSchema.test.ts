/**
 * values.schema.json: strict for the chart's own keys (a typo would be silently ignored), open for
 * the Kubernetes objects it passes through. Refusals name the offending key. hack/check-deploy.sh
 * holds the older refusals (tls, replicas, webhook policies, mirroring).
 */
import { describe, expect, it } from 'vitest';

import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { renderChart, renderError } from './renderChart.js';

const helm = helmBinary();
if (!helm) announceMissing('the values schema tests', 'helm', 'hack/helm.sh');

describe.skipIf(!helm)('values schema', () => {
  it.each([
    ['a typo among the chart\'s own keys', { networkPolicy: { enable: true } }, "additional properties 'enable'"],
    ['a typo in a monitoring section', { prometheusRule: { label: { release: 'x' } } }, "additional properties 'label'"],
    ['a typo at the top level', { hostNetworking: true }, "additional properties 'hostNetworking'"],
    ['commonLabels overriding a selector label', { commonLabels: { 'app.kubernetes.io/name': 'x' } }, 'commonLabels must not set app.kubernetes.io/name'],
    ['commonLabels overriding the chart label', { commonLabels: { 'helm.sh/chart': 'x' } }, 'commonLabels must not set helm.sh/chart'],
    ['podLabels overriding a selector label', { podLabels: { 'app.kubernetes.io/instance': 'x' } }, 'podLabels must not set app.kubernetes.io/instance'],
    ['a label value that is not a string', { commonLabels: { team: 7 } }, '/commonLabels/team'],
    ['a digest that is not sha256', { image: { digest: 'latest' } }, '/image/digest'],
    ['a privileged webhook port', { webhook: { port: 443 } }, '/webhook/port'],
    ['an unknown DNS policy', { dnsPolicy: 'ClusterFirstWithHost' }, '/dnsPolicy'],
    ['an agent pull policy Kubernetes does not know', { agent: { imagePullPolicy: 'Sometimes' } }, '/agent/imagePullPolicy'],
    ['maxUnavailable 0, which blocks every drain', { podDisruptionBudget: { maxUnavailable: 0 } }, '/podDisruptionBudget/maxUnavailable'],
    ['an unknown eviction policy', { podDisruptionBudget: { unhealthyPodEvictionPolicy: 'Always' } }, '/podDisruptionBudget/unhealthyPodEvictionPolicy'],
    ['extraEnv that is not a list', { extraEnv: { HTTPS_PROXY: 'x' } }, '/extraEnv'],
    ['extraArgs that are objects', { extraArgs: [{ flag: '--x' }] }, '/extraArgs/0'],
    ['a ServiceMonitor namespace that is not a name', { serviceMonitor: { namespace: 'Monitoring' } }, '/serviceMonitor/namespace'],
  ])('refuses %s, naming it', (_name, values, expected) => {
    expect(renderError(values)).toContain(expected);
  });

  it('refuses a metrics port equal to the webhook port', () => {
    expect(renderError({ webhook: { port: 9443 }, metrics: { port: 9443 } })).toContain('metrics.port must not be 9443');
  });

  it('refuses an existing ServiceAccount without its name', () => {
    expect(renderError({ serviceAccount: { create: false } })).toContain('serviceAccount.name is required when serviceAccount.create=false');
  });

  it('accepts Kubernetes objects with fields the schema does not list', () => {
    const objects = renderChart({
      global: { imageRegistry: 'corp.example' },
      resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, limits: { memory: '1Gi' } },
      securityContext: { procMount: 'Default' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['system'] }] }] } } },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }],
      extraVolumes: [{ name: 'x', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } }],
      serviceMonitor: { enabled: true, relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }] },
    });
    expect(objects.some((o) => o.kind === 'Deployment')).toBe(true);
  });
});
