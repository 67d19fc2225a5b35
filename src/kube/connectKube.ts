import { kubeApi, type KubeApi } from './kubeApi.js';
import { kubeConfigConnection } from './kubeConfigConnection.js';
import { loadKubeConfig } from './kubeConfig.js';

/** The API of the cluster `serve` runs against: the kubeconfig file given, else the default lookup. */
export function connectKube(kubeconfig?: string): KubeApi {
  return kubeApi(kubeConfigConnection(loadKubeConfig(kubeconfig)));
}
