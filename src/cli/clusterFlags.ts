import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../kube/kubeConfig.js';
import { kubeApi, type KubeApi } from '../kube/kubeApi.js';
import { kubeConfigConnection } from '../kube/kubeConfigConnection.js';

/** kubectl's flags for choosing a cluster and a namespace, shared by list, describe and create. */
export const clusterOptions = {
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

export const clusterUsage = `  -n, --namespace NS       the namespace (default: the context's, else "default")
  --context NAME           the kubeconfig context to use (default: the current one)
  --kubeconfig F           kubeconfig file (default: $KUBECONFIG, ~/.kube/config)`;

export interface ClusterTarget {
  kubeConfig: KubeConfig;
  /** The API of the chosen context's cluster. */
  api: KubeApi;
  /** The namespace `-n` names, else the context's, else `default`. */
  namespace: string;
}

/**
 * The kubeconfig with `--context` made current, and the namespace, as kubectl resolves them.
 * Throws an Error whose message is for the user (unknown context, no cluster).
 */
export function clusterTarget(values: { namespace?: string | undefined; kubeconfig?: string | undefined; context?: string | undefined }): ClusterTarget {
  const kubeConfig = loadKubeConfig(values.kubeconfig);
  if (values.context !== undefined) {
    if (!kubeConfig.getContextObject(values.context)) {
      const known = kubeConfig.getContexts().map((context) => context.name);
      throw new Error(`context "${values.context}" is not in the kubeconfig (contexts: ${known.join(', ') || 'none'})`);
    }
    kubeConfig.setCurrentContext(values.context);
  }
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return { kubeConfig, api: kubeApi(kubeConfigConnection(kubeConfig)), namespace: values.namespace ?? contextNamespace ?? 'default' };
}

/** First line only: client-node's errors go on with the response body and headers. */
export function firstLine(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
}
