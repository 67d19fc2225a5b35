/**
 * The shipped manifests are accepted by a real kube-apiserver: every object of deploy/namespace.yaml
 * and deploy/credinject.yaml, and the `helm template` output of the other TLS modes, passes a
 * server-side dry-run create (full validation and admission, nothing stored). No webhook server is
 * needed, nor a controller manager.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AppsV1Api, KubernetesObjectApi, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadDeployManifests, parseManifests } from '../deploy/deployManifests.js';
import { startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { apiErrorOf, isNotFound } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';

announceSkip('deploy');

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHART = join(REPO_ROOT, 'charts', 'credinject');
const NAMESPACE = 'credinject-system';

/** Kinds whose CRDs (cert-manager, prometheus-operator) this bare API server does not have. */
const CRD_KINDS = new Set(['Issuer', 'ClusterIssuer', 'Certificate', 'ServiceMonitor']);

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

/**
 * A helm binary when one is at hand without building: $HELM, `helm` on PATH, or the cache of
 * hack/helm.sh. Then hack/helm.sh (which prefers exactly these) answers at once.
 */
function quickHelm(): string | undefined {
  const onPath = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  })();
  const version = /^HELM_VERSION=(\S+)/m.exec(readFileSync(join(REPO_ROOT, 'hack', 'helm-versions.env'), 'utf8'))?.[1];
  const cacheRoot = process.env.HELM_CACHE_DIR || join(REPO_ROOT, '.cache', 'helm');
  const cached = version && existsSync(join(cacheRoot, version, 'helm'));
  if (!process.env.HELM && !onPath && !cached) return undefined;
  const lines = execFileSync('bash', [join(REPO_ROOT, 'hack', 'helm.sh')], { encoding: 'utf8', timeout: 30_000 }).trim().split('\n');
  return lines.at(-1);
}

const helm = skipE2E ? undefined : quickHelm();
if (!skipE2E && !helm) console.warn('skipping the helm TLS modes of deploy e2e: no helm at hand (run hack/helm.sh once to build it)');

describe.skipIf(skipE2E)('shipped manifests against a real API server (server-side dry run)', () => {
  let cp: ControlPlane;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    cp = await startControlPlane({ ...(binDir ? { binDir } : {}), withControllerManager: false });
    objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    // Dry runs of namespaced objects need their namespace to exist: create it for real.
    const [namespace] = parseManifests(readFileSync(join(REPO_ROOT, 'deploy', 'namespace.yaml'), 'utf8'));
    expect(namespace).toMatchObject({ kind: 'Namespace', metadata: { name: NAMESPACE } });
    await objects.create(namespace!);
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

  it('accepts deploy/namespace.yaml and every object of deploy/credinject.yaml, and stores none of the dry runs', async () => {
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

  // Modes of hack/check-deploy.sh other than the default (selfSigned, which deploy/ is).
  const caBundle = (): string => Buffer.from(cp.caCertPem).toString('base64');
  const modes: [string, () => string[]][] = [
    ['certManager', () => ['--set', 'tls.mode=certManager']],
    ['certManager with a ClusterIssuer', () => ['--set', 'tls.mode=certManager', '--set', 'tls.certManager.issuerRef.kind=ClusterIssuer', '--set', 'tls.certManager.issuerRef.name=corp-ca']],
    ['existingSecret', () => ['--set', 'tls.mode=existingSecret', '--set', 'tls.existingSecret.name=credinject-serving', '--set', `webhook.caBundle=${caBundle()}`]],
    ['url-based webhooks', () => ['--set', 'webhook.url=https://127.0.0.1:8443', '--set', `webhook.caBundle=${caBundle()}`]],
    ['single replica, ServiceMonitor, legacy sidecars', () => ['--set', 'replicaCount=1', '--set', 'serviceMonitor.enabled=true', '--set', 'agent.sidecarMode=legacy']],
  ];
  it.skipIf(!helm).each(modes)('accepts the helm template output of TLS mode %s (cert-manager and ServiceMonitor CRD objects skipped)', async (_name, args) => {
    const text = execFileSync(helm!, ['template', 'credinject', CHART, '--namespace', NAMESPACE, ...args()], { encoding: 'utf8', timeout: 30_000 });
    const rendered = parseManifests(text);
    // Issuer/Certificate (cert-manager.io) and ServiceMonitor (monitoring.coreos.com) need CRDs that
    // a bare API server does not serve; their schemas are cert-manager's and the operator's business.
    const served = rendered.filter((o) => !CRD_KINDS.has(o.kind ?? ''));
    expect(served.length).toBeGreaterThan(5);
    expect(await dryRunAll(served)).toEqual([]);
  });
});
