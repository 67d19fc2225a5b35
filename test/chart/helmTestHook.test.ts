/**
 * The `helm test` hook objects (templates/tests/webhook-answers.yaml); test/e2e/helmTest.e2e.test.ts
 * runs its script against a real API server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { KubernetesObject, V1ConfigMap, V1Pod, V1Role, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';

import { announceMissing, helmBinary } from '../fixtures/tools.js';
import { CHART, only, renderChart } from './renderChart.js';

const helm = helmBinary();
if (!helm) announceMissing('the helm test hook tests', 'helm', 'hack/helm.sh');

const hooks = (objects: KubernetesObject[]) => objects.filter((o) => o.metadata?.annotations?.['helm.sh/hook'] === 'test');

describe.skipIf(!helm)('helm test hook', () => {
  it('is a ServiceAccount, Role, RoleBinding and ConfigMap set up first and deleted after the run, then the Pod', () => {
    const objects = hooks(renderChart());
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(
      ['ConfigMap/credinject-test', 'Pod/credinject-test', 'Role/credinject-test', 'RoleBinding/credinject-test', 'ServiceAccount/credinject-test'].sort(),
    );
    for (const o of objects.filter((x) => x.kind !== 'Pod')) {
      expect(o.metadata?.annotations, o.kind).toMatchObject({ 'helm.sh/hook-weight': '-1', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    }
    // The Pod stays until the next run, for its logs.
    expect(only(objects, 'Pod').metadata?.annotations?.['helm.sh/hook-delete-policy']).toBe('before-hook-creation');
  });

  it('may only create Secrets in the release namespace (the script only dry-runs)', () => {
    expect(only<V1Role>(hooks(renderChart()), 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }]);
  });

  it('runs the chart\'s script in the server image under the restricted profile, never selected by the Service', () => {
    const objects = renderChart({ image: { digest: `sha256:${'0'.repeat(64)}` } });
    const pod = only<V1Pod>(hooks(objects), 'Pod');
    expect(pod.spec?.containers[0]).toMatchObject({
      image: `ghcr.io/credinject/credinject@sha256:${'0'.repeat(64)}`,
      command: ['node', '/scripts/webhook-answers.mjs'],
      securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
    expect(pod.spec).toMatchObject({ serviceAccountName: 'credinject-test', restartPolicy: 'Never' });
    const selector = only<V1Service>(objects, 'Service').spec!.selector!;
    expect(Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v)).toBe(false);
    const script = only<V1ConfigMap>(hooks(objects), 'ConfigMap').data?.['webhook-answers.mjs'];
    expect(script).toBe(readFileSync(join(CHART, 'scripts', 'webhook-answers.mjs'), 'utf8').trimEnd());
  });

  it('is left out with tests.enabled=false', () => {
    expect(hooks(renderChart({ tests: { enabled: false } }))).toEqual([]);
  });
});
