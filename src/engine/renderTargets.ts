import type { V1EnvVar } from '@kubernetes/client-node';
import type { RenderFormat } from '../contract/agentPlan.js';

/** Where a rendered format lands in its directory, and the env var tools read it from. */
export interface RenderTarget {
  fileName: string;
  env(directory: string): V1EnvVar[];
}

export const renderTargets: Readonly<Record<RenderFormat, RenderTarget>> = {
  kubeconfig: { fileName: 'kubeconfig', env: (dir) => [{ name: 'KUBECONFIG', value: `${dir}/kubeconfig` }] },
  // Docker and buildah read `config.json` from the directory DOCKER_CONFIG names.
  'docker-config': { fileName: 'config.json', env: (dir) => [{ name: 'DOCKER_CONFIG', value: dir }] },
  'aws-credentials': { fileName: 'credentials', env: (dir) => [{ name: 'AWS_SHARED_CREDENTIALS_FILE', value: `${dir}/credentials` }] },
  'rclone-conf': { fileName: 'rclone.conf', env: (dir) => [{ name: 'RCLONE_CONFIG', value: `${dir}/rclone.conf` }] },
};
