import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied, podRequesting } from '../fixtures/pods.js';
import { exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');
const plan = (pod: V1Pod) => planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, credentials, defaultInjectionOptions);

function windowsPod(inject: string, annotations: Record<string, string> = {}): V1Pod {
  const pod = podRequesting(inject, { annotations });
  pod.spec!.os = { name: 'windows' };
  return pod;
}

describe('the agent on a Windows pod', () => {
  it.each([
    ['a kubernetes credential (always rendered)', windowsPod('prod-cluster'), 'credential "prod-cluster" needs'],
    ['a render request', windowsPod('aws-s3', { 'credinject.dev/render': 'aws-s3:aws-credentials' }), 'credential "aws-s3" needs'],
    ['two rendered credentials', windowsPod('prod-cluster, oke-cluster', { 'env-prefix.credinject.dev/x': '' }), 'credentials "prod-cluster", "oke-cluster" need'],
  ])('is refused for %s: its securityContext is Linux-only', (_name, pod, start) => {
    // Two kubernetes-style credentials also collide on KUBECONFIG; the agent's refusal is among the reasons.
    const denial = plan(pod).denial;
    expect(denial?.message).toContain(`${start} the credinject agent, which runs on Linux only, and this Pod sets spec.os.name windows`);
  });

  it('is not needed for env and file credentials, which a Windows pod gets as on Linux', () => {
    const pod = windowsPod('aws-s3, gcp-sa, registry');
    const decision = plan(pod);
    expect(decision.denial).toBeUndefined();
    const injected = applied(pod, decision.patch);
    expect(injected.spec?.initContainers).toBeUndefined();
    expect(injected.spec?.containers.map((c) => c.name)).toEqual(['app']);
  });

  it('runs on a pod that says linux', () => {
    const pod = podRequesting('prod-cluster');
    pod.spec!.os = { name: 'linux' };
    expect(plan(pod).denial).toBeUndefined();
  });
});
