import type { Agent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Connection } from './kubeApi.js';

/**
 * A connection from a client-node KubeConfig, for the CLI commands that already hold one (contexts,
 * exec plugins and auth providers all apply): each request takes client-node's agent and headers.
 */
export function kubeConfigConnection(kubeConfig: KubeConfig): Connection {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig names no current cluster');
  return {
    server: cluster.server.replace(/\/+$/, ''),
    async prepare() {
      const options = await kubeConfig.applyToFetchOptions({});
      const headers: Record<string, string> = {};
      (options.headers as unknown as Headers | undefined)?.forEach((value, key) => (headers[key] = value));
      return { agent: options.agent as Agent, headers };
    },
  };
}
