import { KubeConfig } from '@kubernetes/client-node';

/**
 * The given kubeconfig file, else client-node's default loading: `$KUBECONFIG`, `~/.kube/config`,
 * then the in-cluster service account.
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster()) throw new Error('the kubeconfig names no current cluster');
  return kubeConfig;
}
