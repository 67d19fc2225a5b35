import { loadClusterConnection } from './clusterConnection.js';
import { kubeApi, type KubeApi } from './kubeApi.js';

/** The API of the cluster `serve` runs against: the kubeconfig file given, else the default lookup, else in cluster. */
export function connectKube(kubeconfig?: string): KubeApi {
  return kubeApi(loadClusterConnection(kubeconfig ? { kubeconfig } : {}));
}
