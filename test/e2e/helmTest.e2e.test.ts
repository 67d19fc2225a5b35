/**
 * The chart's `helm test` hook against a real kube-apiserver: its ServiceAccount, Role and
 * RoleBinding are created as the chart renders them, and its script (charts/credinject/scripts/
 * webhook-answers.mjs, what the hook Pod runs) runs here under that ServiceAccount's token, as it
 * would in the Pod. It passes while the webhook answers, and fails, saying why, without the Role or
 * once the server is gone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CoreV1Api, KubernetesObjectApi, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { CHART, only, renderChart } from '../chart/renderChart.js';
import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { createTestNamespace } from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('helm test hook');
const helm = skipE2E ? undefined : helmBinary();
if (!skipE2E && !helm) announceMissing('the helm test hook e2e', 'helm', 'hack/helm.sh');

const SCRIPT = join(CHART, 'scripts', 'webhook-answers.mjs');

describe.skipIf(skipE2E || !helm)('helm test hook against a real API server', () => {
  const suite = useSuite();
  let namespace: string;
  let hookObjects: KubernetesObject[];

  beforeAll(async () => {
    namespace = await createTestNamespace(suite.cp, 'helm-test');
    hookObjects = renderChart({}, ['--namespace', namespace, '--show-only', 'templates/tests/webhook-answers.yaml']);
    const api = KubernetesObjectApi.makeApiClient(suite.cp.kubeConfig);
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) await api.create(only(hookObjects, kind));
    // The ConfigMap and the Pod are what a node would run: the API server must accept them.
    for (const kind of ['ConfigMap', 'Pod']) await api.create(only(hookObjects, kind), undefined, 'All');
  }, 60_000);

  /** A ServiceAccount directory (token, ca.crt, namespace) as a pod of `serviceAccount` has. */
  async function serviceAccountDir(serviceAccount: string): Promise<string> {
    const core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    const token = await core.createNamespacedServiceAccountToken({
      name: serviceAccount,
      namespace,
      body: { spec: { audiences: [suite.cp.apiServerUrl], expirationSeconds: 600 } },
    });
    const dir = join(suite.cp.dir, `sa-${namespace}-${serviceAccount}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'token'), token.status!.token, { mode: 0o600 });
    writeFileSync(join(dir, 'ca.crt'), suite.cp.caCertPem);
    writeFileSync(join(dir, 'namespace'), namespace);
    return dir;
  }

  function runHook(saDir: string): { code: number | null; stdout: string; stderr: string } {
    const api = new URL(suite.cp.apiServerUrl);
    const result = spawnSync(process.execPath, [SCRIPT], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, KUBERNETES_SERVICE_HOST: api.hostname, KUBERNETES_SERVICE_PORT: api.port, SERVICEACCOUNT_DIR: saDir },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('passes with the chart\'s ServiceAccount while the webhook answers, and stores nothing', async () => {
    const name = only<V1Pod>(hookObjects, 'Pod').spec!.serviceAccountName!;
    const result = runHook(await serviceAccountDir(name));
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^ok: secrets\.validate\.credinject\.dev answered: admission webhook "secrets\.validate\.credinject\.dev" denied the request: /);
    expect(result.stdout).toContain('access_key_id');
    const secrets = await suite.cp.kubeConfig.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace });
    expect(secrets.items.filter((s) => s.metadata?.name?.startsWith('credinject-helm-test-'))).toEqual([]);
  });

  it('fails, naming the answer, for an identity without the chart\'s Role', async () => {
    const result = runHook(await serviceAccountDir('default'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^FAIL: unexpected answer, HTTP 403: .*forbidden/);
  });

  // Last: it stops the suite's server.
  it('fails, saying the API server cannot call the webhook, once the server is gone', async () => {
    const saDir = await serviceAccountDir(only<V1Pod>(hookObjects, 'Pod').spec!.serviceAccountName!);
    await suite.server.stop();
    const result = runHook(saDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAIL: the API server cannot call the webhook: Internal error occurred: failed calling webhook "secrets.validate.credinject.dev"');
  });
});
