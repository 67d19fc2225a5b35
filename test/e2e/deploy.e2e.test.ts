/**
 * The shipped manifests are accepted by a real kube-apiserver: every object of deploy/namespace.yaml
 * and deploy/credinject.yaml, and the `helm template` output of the other TLS modes, passes a
 * server-side dry-run create (full validation and admission, nothing stored). Then the RBAC and
 * webhook configurations are installed for real and `credinject serve --self-signed` runs under the
 * shipped ServiceAccount's token: the chart's permissions must be enough for the informers and the
 * TLS bootstrap. No controller manager is needed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadDeployManifests, parseManifests } from '../deploy/deployManifests.js';
import { startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { apiErrorOf, isNotFound } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { announceMissing, helmBinary } from '../fixtures/tools.js';

announceSkip('deploy');

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHART = join(REPO_ROOT, 'charts', 'credinject');
const NAMESPACE = 'credinject-system';

/** Kinds whose CRDs (cert-manager, prometheus-operator) this bare API server does not have. */
const CRD_KINDS = new Set(['Issuer', 'ClusterIssuer', 'Certificate', 'ServiceMonitor', 'PrometheusRule']);

/** Creation order: what others refer to first (as `kubectl apply` and helm order them). */
const kindOrder = [
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Secret',
  'ConfigMap',
  'Service',
  'Deployment',
  'PodDisruptionBudget',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];
function inCreationOrder(objects: KubernetesObject[]): KubernetesObject[] {
  const rank = (o: KubernetesObject): number => {
    const i = kindOrder.indexOf(o.kind ?? '');
    return i === -1 ? kindOrder.length : i;
  };
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

const helm = skipE2E ? undefined : helmBinary();
if (!skipE2E && !helm) announceMissing('the helm modes of deploy e2e', 'helm', 'hack/helm.sh');

describe.skipIf(skipE2E)('shipped manifests against a real API server', () => {
  let cp: ControlPlane;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    cp = await startControlPlane({ ...(binDir ? { binDir } : {}), withControllerManager: false });
    objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    // Dry runs of namespaced objects need their namespace to exist: create it for real.
    const [namespace] = parseManifests(readFileSync(join(REPO_ROOT, 'deploy', 'namespace.yaml'), 'utf8'));
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: NAMESPACE } });
    await objects.create(namespace!);
    // The platform mode puts its ServiceMonitor and dashboard ConfigMap in the monitoring namespace.
    await objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } });
  }, 180_000);

  afterAll(async () => {
    await cp?.stop();
  }, 60_000);

  /** Dry-run creates every object in order; returns the failures as `Kind/name: message`. */
  async function dryRunAll(manifests: KubernetesObject[]): Promise<string[]> {
    const failures: string[] = [];
    for (const obj of inCreationOrder(manifests)) {
      const id = `${obj.kind}/${obj.metadata?.name}`;
      try {
        const created = await objects.create(obj, undefined, 'All');
        if (created.kind !== obj.kind || created.metadata?.name !== obj.metadata?.name) failures.push(`${id}: answered as ${created.kind}/${created.metadata?.name}`);
      } catch (err) {
        const apiError = apiErrorOf(err);
        if (!apiError) throw err;
        failures.push(`${id}: HTTP ${apiError.code}: ${apiError.message}`);
      }
    }
    return failures;
  }

  it('accepts deploy/namespace.yaml and a server-side dry run of every object of deploy/credinject.yaml, storing none', async () => {
    const manifests = loadDeployManifests();
    expect(manifests.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']));
    // deploy/namespace.yaml was created for real in beforeAll (a dry run of it would now answer 409).
    expect(await dryRunAll(manifests)).toEqual([]);

    for (const obj of manifests) {
      await expect(objects.read({ apiVersion: obj.apiVersion!, kind: obj.kind!, metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace ?? '' } })).rejects.toSatisfy(isNotFound);
    }
  });

  it('runs the webhook server Deployment under the namespace\'s restricted Pod Security level without a warning', async () => {
    const deployment = loadDeployManifests().find((o) => o.kind === 'Deployment') as V1Deployment;
    const apps = cp.kubeConfig.makeApiClient(AppsV1Api);
    const response = await apps.createNamespacedDeploymentWithHttpInfo({ namespace: NAMESPACE, body: deployment, dryRun: 'All' });
    // The namespace has pod-security.kubernetes.io/warn: restricted; a violating template gets a Warning.
    expect(response.headers['warning']).toBeUndefined();

    // Control: the same Deployment without its container securityContext is warned about.
    const loose = structuredClone(deployment);
    delete loose.spec!.template.spec!.containers[0]!.securityContext;
    const warned = await apps.createNamespacedDeploymentWithHttpInfo({ namespace: NAMESPACE, body: loose, dryRun: 'All' });
    expect(warned.headers['warning']).toContain('restricted');
  });

  // The chart's ci/*-values.yaml modes (those of hack/check-deploy.sh), each with a real CA where
  // it names one.
  const modes = readdirSync(join(CHART, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .map((f) => [f.replace(/-values\.yaml$/, ''), f] as const);
  const modeArgs = (file: string): string[] => {
    const args = ['-f', join(CHART, 'ci', file)];
    if (readFileSync(join(CHART, 'ci', file), 'utf8').includes('caBundle:')) {
      args.push('--set', `webhook.caBundle=${Buffer.from(cp.caCertPem).toString('base64')}`);
    }
    return args;
  };
  it.skipIf(!helm).each(modes)('accepts the helm template output of mode %s, helm test hook included (CRD objects skipped)', async (_name, file) => {
    const text = execFileSync(helm!, ['template', 'credinject', CHART, '--namespace', NAMESPACE, ...modeArgs(file)], { encoding: 'utf8', timeout: 30_000 });
    const rendered = parseManifests(text);
    // Issuer/Certificate (cert-manager.io), ServiceMonitor and PrometheusRule (monitoring.coreos.com)
    // need CRDs that a bare API server does not serve; their schemas are cert-manager's and the
    // operator's business. The helm test Pod needs its ServiceAccount stored, which a dry run does not
    // do: helmTest.e2e.test.ts creates both for real.
    const served = rendered.filter((o) => !CRD_KINDS.has(o.kind ?? '') && o.kind !== 'Pod');
    expect(served.length).toBeGreaterThan(5);
    expect(await dryRunAll(served)).toEqual([]);
  });

  describe('installed with the shipped RBAC, serving with self-signed TLS', () => {
    const servers: CredinjectServer[] = [];
    let saKubeconfig: string;
    const tlsSettings = {
      secretName: 'credinject-tls',
      serviceName: 'credinject',
      mutatingWebhookConfig: 'credinject',
      validatingWebhookConfig: 'credinject',
    };

    beforeAll(async () => {
      // For real: the identity, its permissions and the webhook configurations (whose caBundle the
      // server patches). Not the Deployment: the server runs here, as a process.
      const installed = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
      for (const obj of inCreationOrder(loadDeployManifests().filter((o) => installed.has(o.kind ?? '')))) await objects.create(obj);
      const core = cp.kubeConfig.makeApiClient(CoreV1Api);
      const token = await core.createNamespacedServiceAccountToken({
        name: 'credinject',
        namespace: NAMESPACE,
        body: { spec: { audiences: [cp.apiServerUrl], expirationSeconds: 3600 } },
      });
      saKubeconfig = join(cp.dir, 'credinject-sa.kubeconfig');
      writeFileSync(
        saKubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'envtest', cluster: { server: cp.apiServerUrl, 'certificate-authority-data': Buffer.from(cp.caCertPem).toString('base64') } }],
          users: [{ name: 'credinject', user: { token: token.status!.token } }],
          contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'credinject', namespace: NAMESPACE } }],
          'current-context': 'envtest',
        }),
        { mode: 0o600 },
      );
      servers.push(await startCredinjectServer(cp, { logName: 'credinject-replica-1', kubeconfigPath: saKubeconfig, tls: tlsSettings }));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
    }, 60_000);

    const readTlsSecret = () => cp.kubeConfig.makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'credinject-tls', namespace: NAMESPACE });
    async function caBundles(): Promise<{ bundles: string[]; versions: string[] }> {
      const admission = cp.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
      const mutating = await admission.readMutatingWebhookConfiguration({ name: 'credinject' });
      const validating = await admission.readValidatingWebhookConfiguration({ name: 'credinject' });
      return {
        bundles: [...(mutating.webhooks ?? []), ...(validating.webhooks ?? [])].map((w) => w.clientConfig.caBundle ?? ''),
        versions: [mutating.metadata!.resourceVersion!, validating.metadata!.resourceVersion!],
      };
    }

    /** Completes a TLS handshake as the API server would, by Service name, trusting only `caPem`. */
    function verifiesAsService(port: number, caPem: string): Promise<true> {
      return new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'credinject.credinject-system.svc', ca: caPem }, () => {
          socket.end();
          resolve(true);
        });
        socket.once('error', reject);
      });
    }

    it('becomes ready under the shipped RBAC, keeps its CA in a Secret and patches it into every webhook', async () => {
      const secret = await readTlsSecret();
      expect(secret.type).toBe('kubernetes.io/tls');
      expect(Object.keys(secret.data ?? {})).toEqual(expect.arrayContaining(['ca.crt', 'tls.crt', 'tls.key']));
      const caPem = Buffer.from(secret.data!['ca.crt']!, 'base64').toString('utf8');

      const { bundles } = await caBundles();
      expect(bundles).toHaveLength(8);
      for (const bundle of bundles) expect(bundle).toBe(secret.data!['ca.crt']);
      await expect(verifiesAsService(servers[0]!.httpsPort, caPem)).resolves.toBe(true);
      expect(servers[0]!.logTail(200)).not.toMatch(/forbidden/i);
      // Control: the server's identity is the ServiceAccount, not an admin.
      const asServer = new KubeConfig();
      asServer.loadFromFile(saKubeconfig);
      const denied = await asServer
        .makeApiClient(CoreV1Api)
        .createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'not-allowed' } } })
        .then(() => undefined, apiErrorOf);
      expect(denied?.code).toBe(403);
    });

    it('a second replica serves the same CA and leaves the Secret and the caBundles as they are', async () => {
      const before = await readTlsSecret();
      const bundlesBefore = await caBundles();
      servers.push(await startCredinjectServer(cp, { logName: 'credinject-replica-2', kubeconfigPath: saKubeconfig, tls: tlsSettings }));

      const after = await readTlsSecret();
      expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
      expect(await caBundles()).toEqual(bundlesBefore);
      const caPem = Buffer.from(after.data!['ca.crt']!, 'base64').toString('utf8');
      await expect(verifiesAsService(servers[1]!.httpsPort, caPem)).resolves.toBe(true);
    });
  });
});
