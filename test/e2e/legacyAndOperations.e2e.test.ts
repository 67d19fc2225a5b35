/**
 * The server started with `--sidecar-mode legacy` (clusters before native sidecars), and the
 * operator's view of a running server: `credinject list` against the real API server and the
 * Prometheus metrics the admissions left behind. Everything is read back from what was stored.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import { namespaceWithCredentials, podRequesting } from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

announceSkip('legacy sidecar and operations');

describe.skipIf(skipE2E)('legacy sidecar mode, credinject list and metrics against the real API server', () => {
  const suite = useSuite({ server: { sidecarMode: 'legacy', logName: 'credinject-legacy' } });
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'legacy', ['prod-cluster', 'aws-s3', 'hf-token']);
  }, 180_000);

  it('stores a kubernetes-credential Pod with a render-once init container and a plain sidecar', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('legacy-agent', 'prod-cluster') });
    const pod = await core.readNamespacedPod({ namespace, name: 'legacy-agent' });
    expect(pod.spec?.initContainers?.map((c) => [c.name, c.args, c.restartPolicy])).toEqual([['credinject-agent-init', ['agent', '--once'], undefined]]);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app', 'credinject-agent']);
    expect(pod.spec?.containers[0]?.env).toContainEqual({ name: 'KUBECONFIG', value: '/var/run/credinject/prod-cluster/kubeconfig' });
  });

  it('leaves the sidecar out of a Pod meant to finish, so a Job can complete', async () => {
    const body = podRequesting('legacy-job', 'prod-cluster');
    body.spec!.restartPolicy = 'Never';
    await core.createNamespacedPod({ namespace, body });
    const pod = await core.readNamespacedPod({ namespace, name: 'legacy-job' });
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app']);
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['credinject-agent-init']);
  });

  it('lists credentials with type, status and how many objects use them', async () => {
    await core.createNamespacedPod({ namespace, body: podRequesting('uses-aws', 'aws-s3') });
    const rows = await pollUntil(
      'credinject list to count the users of aws-s3',
      async () => {
        const { stdout } = await run(process.execPath, [cli, 'list', '--kubeconfig', suite.cp.kubeconfigPath, '-n', namespace, '-o', 'json']);
        const parsed = JSON.parse(stdout) as { name: string; type: string; status: string; inUse: number }[];
        return parsed.find((row) => row.name === 'aws-s3')?.inUse === 1 ? parsed : undefined;
      },
      30_000,
    );
    expect(rows.map((row) => [row.name, row.type, row.status, row.inUse])).toEqual([
      ['aws-s3', 'aws', 'valid', 1],
      ['hf-token', 'huggingface', 'valid', 0],
      ['prod-cluster', 'kubernetes', 'valid', 2],
    ]);
    const { stdout: table } = await run(process.execPath, [cli, 'list', '--kubeconfig', suite.cp.kubeconfigPath, '-n', namespace]);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+NAMESPACE\s+TYPE\s+SCOPE\s+STATUS\s+IN-USE\s+STALE\s+AGE$/);
    expect(table).toMatch(new RegExp(`aws-s3\\s+${namespace}\\s+aws\\s+namespace\\s+valid\\s+1\\s+(\\?|\\d+)\\s+\\d+[sm]`));
  });

  it('counts the admissions and injections it made in its metrics', async () => {
    const metrics = await suite.server.metrics();
    expect(metrics).toMatch(/credinject_admission_requests_total\{[^}]*webhook="mutate"[^}]*result="patched"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/credinject_injections_total\{[^}]*type="kubernetes"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/credinject_informer_synced\{[^}]*\} 1/);
  });
});
