/**
 * deploy/ as a kustomize base: an overlay with its own `namespace:` moves the whole install, the
 * webhooks' exclusion of their own namespace included (deploy/kustomizeconfig.yaml), and leaves
 * kube-system excluded. Built with the pinned kustomize (hack/go-tool.sh kustomize).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
  KubernetesObject,
  V1MutatingWebhookConfiguration,
  V1RoleBinding,
  V1ValidatingAdmissionPolicyBinding,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../fixtures/runCli.js';
import { announceMissing, kustomizeBinary } from '../fixtures/tools.js';
import { parseManifests } from './deployManifests.js';

const kustomize = kustomizeBinary();
if (!kustomize) announceMissing('the kustomize overlay tests', 'kustomize', 'hack/go-tool.sh kustomize');

const work = mkdtempSync(join(tmpdir(), 'credinject-kustomize-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Builds an overlay of a copy of deploy/ with this kustomization body. */
function buildOverlay(name: string, body: string): KubernetesObject[] {
  cpSync(join(repoRoot, 'deploy'), join(work, 'deploy'), { recursive: true, force: true });
  const overlay = join(work, name);
  mkdirSync(overlay, { recursive: true });
  writeFileSync(join(overlay, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../deploy\n${body}`);
  return parseManifests(execFileSync(kustomize!, ['build', overlay], { encoding: 'utf8', timeout: 60_000 }));
}

const webhooksOf = (objects: KubernetesObject[]) =>
  objects
    .filter((o) => o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration')
    .flatMap((o) => (o as V1MutatingWebhookConfiguration | V1ValidatingWebhookConfiguration).webhooks ?? []);
const excluded = (objects: KubernetesObject[]) =>
  Object.fromEntries(
    webhooksOf(objects).map((h) => [
      h.name,
      h.namespaceSelector?.matchExpressions?.filter((e) => e.key === 'kubernetes.io/metadata.name').flatMap((e) => e.values ?? []),
    ]),
  );

describe.skipIf(!kustomize)('deploy/ under a kustomize overlay', () => {
  it('builds as it is, excluding credinject-system', () => {
    const objects = buildOverlay('as-is', '');
    expect(excluded(objects)['pods.mutate.credinject.dev']).toEqual(['kube-system', 'credinject-system']);
  });

  it('moves everything to the overlay namespace, the webhooks\' own-namespace exclusion too', () => {
    const objects = buildOverlay('moved', 'namespace: platform-credinject\n');
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name)).toEqual(['platform-credinject']);
    for (const o of objects.filter((x) => x.metadata?.namespace !== undefined)) {
      expect(o.metadata?.namespace, `${o.kind}/${o.metadata?.name}`).toBe('platform-credinject');
    }
    expect(excluded(objects)).toEqual({
      'pods.mutate.credinject.dev': ['kube-system', 'platform-credinject'],
      'namespace-pods.mutate.credinject.dev': ['kube-system', 'platform-credinject'],
      'namespace-pods.validate.credinject.dev': ['kube-system', 'platform-credinject'],
      'references.validate.credinject.dev': ['kube-system', 'platform-credinject'],
      'workloads.mutate.credinject.dev': ['kube-system', 'platform-credinject'],
      'cronjobs.mutate.credinject.dev': ['kube-system', 'platform-credinject'],
      // It sees the release namespace on purpose (cluster credentials live there).
      'secrets.validate.credinject.dev': ['kube-system'],
      'workloads.validate.credinject.dev': ['kube-system', 'platform-credinject'],
    });
    const guardBinding = objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding') as V1ValidatingAdmissionPolicyBinding;
    expect(guardBinding.spec?.matchResources?.namespaceSelector?.matchExpressions?.flatMap((e) => e.values ?? [])).toEqual(['kube-system', 'platform-credinject']);
    expect(JSON.stringify(objects)).not.toContain('credinject-system');
    for (const h of webhooksOf(objects)) expect(h.clientConfig.service?.namespace, h.name).toBe('platform-credinject');
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') as V1RoleBinding[];
    for (const b of bindings) expect(b.subjects?.map((s) => s.namespace), b.metadata?.name).toEqual(['platform-credinject']);
  });
});
