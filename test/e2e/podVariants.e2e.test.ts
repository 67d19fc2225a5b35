/**
 * Pods the API server judges by rules of its own after our patch, and a request the shipped
 * matchConditions must not miss: a render-only annotation, Windows pods, and a namespace whose
 * ResourceQuota requires limits.cpu of every container. The server runs with --agent-cpu-limit.
 */
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';

import { pollUntil } from './harness/controlPlane.js';
import {
  containerOf,
  createExampleCredentials,
  createTestNamespace,
  envNames,
  expectApiError,
  namespaceWithCredentials,
  podRequesting,
  waitForCredentialsCached,
  waitForPods,
} from './harness/kube.js';
import { announceSkip, skipE2E, useSuite } from './harness/suite.js';

announceSkip('pod variants');

const CREDENTIALS = ['aws-s3', 'gcp-sa', 'prod-cluster'];
const agentCpuLimit = '100m';

describe.skipIf(skipE2E)('pod variants through the real API server', () => {
  const suite = useSuite({ server: { extraArgs: ['--agent-cpu-limit', agentCpuLimit] } });
  let core: CoreV1Api;
  let namespace: string;

  beforeAll(async () => {
    core = suite.cp.kubeConfig.makeApiClient(CoreV1Api);
    namespace = await namespaceWithCredentials(suite.cp, 'variants', CREDENTIALS);
  }, 180_000);

  const agentOf = (pod: V1Pod) => pod.spec?.initContainers?.find((c) => c.name === 'credinject-agent');

  describe('render-only requests', () => {
    const renderOnly = (name: string): V1Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, annotations: { 'credinject.dev/render': 'aws-s3:aws-credentials' } },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] },
    });

    it('inject a Pod that carries credinject.dev/render alone, as the CLI does', async () => {
      await core.createNamespacedPod({ namespace, body: renderOnly('render-only') });
      const pod = await core.readNamespacedPod({ name: 'render-only', namespace });
      expect(pod.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected', 'credinject.dev/injected': 'aws-s3' });
      expect(envNames(containerOf(pod, 'app'))).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SHARED_CREDENTIALS_FILE']));
      expect(agentOf(pod)).toBeDefined();
    });

    it('reach the validating webhook too: a render-only Pod naming a missing credential is refused', async () => {
      const body = renderOnly('render-missing');
      body.metadata!.annotations = { 'credinject.dev/render': 'no-such-cred:aws-credentials' };
      const err = await expectApiError(core.createNamespacedPod({ namespace, body }));
      expect(err.message).toContain('credential "no-such-cred" not found');
    });

    it('inject the Pods of a Deployment whose template asks by render alone', async () => {
      const labels = { app: 'render-web' };
      await suite.cp.kubeConfig.makeApiClient(AppsV1Api).createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: 'render-web', labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels, annotations: { 'credinject.dev/render': 'aws-s3:aws-credentials' } },
              spec: { containers: [{ name: 'app', image: 'registry.example.com/web:1' }] },
            },
          },
        },
      });
      const [pod] = await waitForPods(suite.cp.kubeConfig, namespace, 'app=render-web');
      expect(pod!.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected' });
      expect(agentOf(pod!)).toBeDefined();
    });
  });

  describe('Windows pods', () => {
    const windows = (name: string, inject: string): V1Pod => {
      const pod = podRequesting(name, inject);
      pod.spec!.os = { name: 'windows' };
      return pod;
    };

    it('are stored with env and file credentials: what we add passes the API server\'s Windows rules', async () => {
      await core.createNamespacedPod({ namespace, body: windows('win-env', 'aws-s3, gcp-sa') });
      const pod = await core.readNamespacedPod({ name: 'win-env', namespace });
      expect(pod.metadata?.annotations).toMatchObject({ 'credinject.dev/status': 'injected' });
      expect(envNames(containerOf(pod, 'app'))).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'GOOGLE_APPLICATION_CREDENTIALS']));
      expect(pod.spec?.initContainers).toBeUndefined();
    });

    it('that need the agent are refused by our webhook with the reason, not by the API server later', async () => {
      const err = await expectApiError(core.createNamespacedPod({ namespace, body: windows('win-agent', 'prod-cluster') }));
      expect(err.message).toContain('admission webhook "pods.mutate.credinject.dev" denied the request:');
      expect(err.message).toContain('credential "prod-cluster" needs the credinject agent, which runs on Linux only');
    });
  });

  describe('a ResourceQuota that requires limits.cpu', () => {
    let quotaNamespace: string;

    beforeAll(async () => {
      quotaNamespace = await createTestNamespace(suite.cp, 'quota');
      await createExampleCredentials(suite.cp.kubeConfig, quotaNamespace, ['prod-cluster']);
      // Before the quota: the cache probe's own container sets no limits.
      await waitForCredentialsCached(suite.cp.kubeConfig, quotaNamespace, ['prod-cluster']);
      await core.createNamespacedResourceQuota({
        namespace: quotaNamespace,
        body: { metadata: { name: 'cpu' }, spec: { hard: { 'limits.cpu': '4' } } },
      });
      // Quota admission judges against the status the quota controller computes.
      await pollUntil('the quota controller to compute the quota', async () => {
        const quota = await core.readNamespacedResourceQuota({ name: 'cpu', namespace: quotaNamespace });
        return quota.status?.hard?.['limits.cpu'] ? true : undefined;
      }, 30_000);
    }, 60_000);

    it('admits an injected pod: the agent carries the CPU limit the server was given', async () => {
      const body = podRequesting('quota-agent', 'prod-cluster', { resources: { limits: { cpu: '200m' } } });
      await core.createNamespacedPod({ namespace: quotaNamespace, body });
      const pod = await core.readNamespacedPod({ name: 'quota-agent', namespace: quotaNamespace });
      expect(agentOf(pod)?.resources?.limits?.['cpu']).toBe(agentCpuLimit);
    });

    it('still refuses, by the quota, an app container without a limit: the quota is really enforced', async () => {
      const err = await expectApiError(core.createNamespacedPod({ namespace: quotaNamespace, body: podRequesting('quota-app', 'prod-cluster') }));
      expect(err.message).toContain('must specify limits.cpu');
      expect(err.message).toContain('app');
      expect(err.message).not.toContain('credinject-agent');
    });
  });
});
