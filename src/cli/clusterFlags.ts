import { loadClusterConnection } from '../kube/clusterConnection.js';
import { kubeApi, type KubeApi } from '../kube/kubeApi.js';

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
  /** The API of the chosen context's cluster. */
  api: KubeApi;
  /** The namespace `-n` names, else the context's, else `default`. */
  namespace: string;
}

/**
 * The cluster of `--context` (else the current one) and the namespace, as kubectl resolves them.
 * Throws an Error whose message is for the user (unknown context, no cluster).
 */
export function clusterTarget(values: { namespace?: string | undefined; kubeconfig?: string | undefined; context?: string | undefined }): ClusterTarget {
  const connection = loadClusterConnection({
    ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context !== undefined ? { context: values.context } : {}),
  });
  return { api: kubeApi(connection), namespace: values.namespace ?? connection.namespace ?? 'default' };
}

/** First line only: an error's further lines may carry a response body or headers. */
export function firstLine(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
}
