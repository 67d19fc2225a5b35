/**
 * `helm template` of the values platform teams set instead of forking the chart: each one changes
 * what it says and nothing it must not (the defaults are pinned by test/deploy/manifests.test.ts).
 */
import type {
  KubernetesObject,
  V1ClusterRoleBinding,
  V1Container,
  V1Deployment,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1RoleBinding,
  V1Service,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { NAMESPACE, only, renderChart, renderError } from './renderChart.js';

const helm = helmBinary();
if (!helm) announceMissing('the chart value tests', 'helm', 'hack/helm.sh');

const deployment = (objects: KubernetesObject[]) => only<V1Deployment>(objects, 'Deployment');
const podSpec = (objects: KubernetesObject[]): V1PodSpec => deployment(objects).spec!.template.spec!;
const server = (objects: KubernetesObject[]): V1Container => podSpec(objects).containers[0]!;
/** The value after `flag` in the server's args. */
const flag = (objects: KubernetesObject[], name: string): string | undefined => {
  const args = server(objects).args ?? [];
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
/** Objects the chart renders for the release, without the `helm test` hook objects. */
const released = (objects: KubernetesObject[]) => objects.filter((o) => !o.metadata?.annotations?.['helm.sh/hook']);
/** Renders once, on first use: suites are collected even when helm is missing and they skip. */
function lazily(render: () => KubernetesObject[]): () => KubernetesObject[] {
  let objects: KubernetesObject[] | undefined;
  return () => (objects ??= render());
}

describe.skipIf(!helm)('chart values for platform teams', () => {
  describe('hostNetwork and webhook.port (EKS custom CNI)', () => {
    const rendered = lazily(() => renderChart({ hostNetwork: true, webhook: { port: 10260 }, metrics: { port: 10261 } }));

    it('runs in the node network with ClusterFirstWithHostNet DNS', () => {
      const objects = rendered();
      expect(podSpec(objects).hostNetwork).toBe(true);
      expect(podSpec(objects).dnsPolicy).toBe('ClusterFirstWithHostNet');
    });

    it('moves the container port, the --port flag and the metrics port; probes and the Service follow by name', () => {
      const objects = rendered();
      expect(server(objects).ports).toEqual([
        { name: 'https', containerPort: 10260, protocol: 'TCP' },
        { name: 'metrics', containerPort: 10261, protocol: 'TCP' },
      ]);
      expect(flag(objects, '--port')).toBe('10260');
      expect(flag(objects, '--metrics-port')).toBe('10261');
      expect(server(objects).readinessProbe?.httpGet?.port).toBe('metrics');
      expect(server(objects).livenessProbe?.httpGet?.port).toBe('metrics');
      expect(only<V1Service>(objects, 'Service').spec?.ports).toEqual([
        { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
        { name: 'metrics', port: 10261, targetPort: 'metrics', protocol: 'TCP' },
      ]);
    });

    it('keeps pod networking and the default DNS policy by default', () => {
      const defaults = renderChart();
      expect(podSpec(defaults).hostNetwork).toBeUndefined();
      expect(podSpec(defaults).dnsPolicy).toBeUndefined();
      expect(flag(defaults, '--port')).toBe('8443');
    });

    it('takes an explicit dnsPolicy over the host-network default', () => {
      expect(podSpec(renderChart({ hostNetwork: true, dnsPolicy: 'Default' })).dnsPolicy).toBe('Default');
      expect(podSpec(renderChart({ dnsPolicy: 'None' })).dnsPolicy).toBe('None');
    });
  });

  describe('security contexts (OpenShift restricted-v2)', () => {
    it('drops the fixed UID, GID and fsGroup when they are nulled, keeping the rest of the restricted profile', () => {
      const objects = renderChart({
        podSecurityContext: { runAsUser: null, runAsGroup: null, fsGroup: null },
        securityContext: { runAsUser: null, runAsGroup: null },
      });
      for (const pod of [podSpec(objects), only<{ spec: V1PodSpec } & KubernetesObject>(objects, 'Pod').spec]) {
        expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.containers[0]!.securityContext).toEqual({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
      }
    });

    it('passes other fields through as Kubernetes objects', () => {
      const objects = renderChart({ podSecurityContext: { supplementalGroups: [4000] }, securityContext: { seLinuxOptions: { level: 's0:c1' } } });
      expect(podSpec(objects).securityContext).toMatchObject({ runAsUser: 65532, supplementalGroups: [4000] });
      expect(server(objects).securityContext).toMatchObject({ runAsUser: 65532, seLinuxOptions: { level: 's0:c1' } });
    });
  });

  describe('extraArgs, extraEnv, extraVolumes, extraVolumeMounts', () => {
    const rendered = lazily(() =>
      renderChart({
        extraArgs: ['--shutdown-delay', 10],
        extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
        extraVolumes: [{ name: 'corp-ca', configMap: { name: 'corp-ca' } }],
        extraVolumeMounts: [{ name: 'corp-ca', mountPath: '/etc/corp-ca', readOnly: true }],
      }),
    );

    it('appends the flags after the chart\'s own, numbers as text', () => {
      const objects = rendered();
      expect(server(objects).args?.slice(-2)).toEqual(['--shutdown-delay', '10']);
      expect(server(objects).args?.[0]).toBe('serve');
    });

    it('adds the env var after POD_NAMESPACE and POD_NAME', () => {
      const objects = rendered();
      expect(server(objects).env?.map((e) => e.name)).toEqual(['POD_NAMESPACE', 'POD_NAME', 'HTTPS_PROXY']);
      expect(server(objects).env?.[2]).toEqual({ name: 'HTTPS_PROXY', value: 'http://proxy:3128' });
    });

    it('adds the volume and its mount next to the chart\'s', () => {
      const objects = rendered();
      expect(podSpec(objects).volumes?.map((v) => v.name)).toEqual(['tmp', 'corp-ca']);
      expect(server(objects).volumeMounts).toEqual([
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'corp-ca', mountPath: '/etc/corp-ca', readOnly: true },
      ]);
    });
  });

  describe('commonLabels, podLabels, deploymentAnnotations', () => {
    const rendered = lazily(() =>
      renderChart({ commonLabels: { team: 'platform', 'cost-center': 'c42' }, podLabels: { team: 'pods' }, deploymentAnnotations: { 'reloader/auto': 'true' } }),
    );

    it('labels every object of the release and the test hook', () => {
      const objects = rendered();
      for (const o of objects) expect(o.metadata?.labels, `${o.kind}/${o.metadata?.name}`).toMatchObject({ 'cost-center': 'c42' });
    });

    it('labels the pods, podLabels winning, and never changes the selector', () => {
      const objects = rendered();
      expect(deployment(objects).spec?.template.metadata?.labels).toEqual({
        'app.kubernetes.io/name': 'credinject',
        'app.kubernetes.io/instance': 'credinject',
        team: 'pods',
        'cost-center': 'c42',
      });
      expect(deployment(objects).spec?.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'credinject', 'app.kubernetes.io/instance': 'credinject' });
    });

    it('annotates the Deployment, not its pods', () => {
      const objects = rendered();
      expect(deployment(objects).metadata?.annotations).toEqual({ 'reloader/auto': 'true' });
      expect(deployment(objects).spec?.template.metadata?.annotations).toBeUndefined();
    });
  });

  describe('images', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;

    it('pulls the server and the agent by digest when image.digest is set', () => {
      const objects = renderChart({ image: { digest, tag: 'ignored' } });
      expect(server(objects).image).toBe(`ghcr.io/credinject/credinject@${digest}`);
      expect(flag(objects, '--agent-image')).toBe(`ghcr.io/credinject/credinject@${digest}`);
    });

    it('gives the agent image.pullPolicy unless agent.imagePullPolicy is set', () => {
      expect(flag(renderChart({ image: { pullPolicy: 'Always' } }), '--agent-image-pull-policy')).toBe('Always');
      const objects = renderChart({ agent: { imagePullPolicy: 'Never' } });
      expect(flag(objects, '--agent-image-pull-policy')).toBe('Never');
      expect(server(objects).imagePullPolicy).toBe('IfNotPresent');
    });
  });

  describe('agent resources', () => {
    it('passes agent.resources.limits.cpu as --agent-cpu-limit, and no CPU limit by default', () => {
      expect(flag(renderChart({ agent: { resources: { limits: { cpu: '100m' } } } }), '--agent-cpu-limit')).toBe('100m');
      expect(server(renderChart()).args).not.toContain('--agent-cpu-limit');
    });

    it('refuses a CPU limit that is not a quantity, naming the value', () => {
      expect(renderError({ agent: { resources: { limits: { cpu: 'fast' } } } })).toContain('/agent/resources/limits/cpu');
    });
  });

  describe('expiry', () => {
    it('warns within 7 days by default and passes expiry.warning and expiry.denyExpired as flags', () => {
      expect(flag(renderChart(), '--expiry-warning')).toBe('7d');
      expect(server(renderChart()).args).not.toContain('--deny-expired');
      const objects = renderChart({ expiry: { warning: '14d', denyExpired: true } });
      expect(flag(objects, '--expiry-warning')).toBe('14d');
      expect(server(objects).args).toContain('--deny-expired');
    });

    it('refuses a warning window that is not a duration, naming the value', () => {
      expect(renderError({ expiry: { warning: 'a week' } })).toContain('/expiry/warning');
    });
  });

  describe('serviceAccount', () => {
    it('uses an existing ServiceAccount without creating one, and binds every role to it', () => {
      const objects = renderChart({ serviceAccount: { create: false, name: 'corp-credinject' }, mirroring: { enabled: true } });
      expect(objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata?.name !== 'credinject-test')).toEqual([]);
      expect(podSpec(objects).serviceAccountName).toBe('corp-credinject');
      const bindings = released(objects).filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') as (V1RoleBinding | V1ClusterRoleBinding)[];
      expect(bindings.length).toBeGreaterThanOrEqual(4);
      for (const binding of bindings) {
        expect(binding.subjects, binding.metadata?.name).toEqual([{ kind: 'ServiceAccount', name: 'corp-credinject', namespace: NAMESPACE }]);
      }
    });

    it('creates a ServiceAccount of the given name', () => {
      const objects = renderChart({ serviceAccount: { name: 'webhooks' } });
      expect(only(released(objects), 'ServiceAccount').metadata?.name).toBe('webhooks');
      expect(podSpec(objects).serviceAccountName).toBe('webhooks');
    });
  });

  describe('topologySpreadConstraints', () => {
    it('replaces the default spread, giving a constraint without labelSelector the pods\' labels', () => {
      const objects = renderChart({
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
          { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { own: 'x' } } },
        ],
      });
      expect(podSpec(objects).topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'credinject', 'app.kubernetes.io/instance': 'credinject' } },
        },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { own: 'x' } } },
      ]);
    });
  });

  describe('podDisruptionBudget', () => {
    it('uses maxUnavailable instead of minAvailable when set', () => {
      const pdb = only<V1PodDisruptionBudget>(renderChart({ podDisruptionBudget: { maxUnavailable: '50%' } }), 'PodDisruptionBudget');
      expect(pdb.spec).toMatchObject({ maxUnavailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow' });
      expect(pdb.spec?.minAvailable).toBeUndefined();
    });

    it('takes the Kubernetes default eviction policy when asked', () => {
      const pdb = only<V1PodDisruptionBudget>(renderChart({ podDisruptionBudget: { unhealthyPodEvictionPolicy: 'IfHealthyBudget' } }), 'PodDisruptionBudget');
      expect(pdb.spec).toMatchObject({ minAvailable: 1, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    });
  });

  describe('networkPolicy', () => {
    it('is off by default', () => {
      expect(renderChart().filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    });

    it('admits the webhook port from anywhere and the metrics port from metricsFrom only, for the server pods', () => {
      const from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }];
      const policy = only<V1NetworkPolicy>(renderChart({ networkPolicy: { enabled: true, metricsFrom: from }, webhook: { port: 9443 } }), 'NetworkPolicy');
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'credinject', 'app.kubernetes.io/instance': 'credinject' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: 9443, protocol: 'TCP' }] }, { ports: [{ port: 9090, protocol: 'TCP' }], from }],
      });
    });
  });

  describe('serviceMonitor', () => {
    it('in another namespace selects the Service in the release namespace, with relabelings', () => {
      const relabelings = [{ action: 'labeldrop', regex: 'pod' }];
      const metricRelabelings = [{ action: 'drop', sourceLabels: ['__name__'], regex: 'nodejs_.*' }];
      const monitor = only<KubernetesObject & { spec: Record<string, unknown> }>(
        renderChart({ serviceMonitor: { enabled: true, namespace: 'monitoring', relabelings, metricRelabelings } }),
        'ServiceMonitor',
      );
      expect(monitor.metadata?.namespace).toBe('monitoring');
      expect(monitor.spec).toMatchObject({ namespaceSelector: { matchNames: [NAMESPACE] }, endpoints: [{ port: 'metrics', relabelings, metricRelabelings }] });
    });

    it('in the release namespace needs no namespaceSelector', () => {
      const monitor = only<KubernetesObject & { spec: Record<string, unknown> }>(renderChart({ serviceMonitor: { enabled: true } }), 'ServiceMonitor');
      expect(monitor.metadata?.namespace).toBe(NAMESPACE);
      expect(monitor.spec.namespaceSelector).toBeUndefined();
      expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', scheme: 'http', interval: '30s', scrapeTimeout: '10s' }]);
    });
  });
});
