import type { V1EnvVar } from '@kubernetes/client-node';
import type { RenderFormat } from '../contract/agentPlan.js';

/**
 * Where a rendered format lands in its directory, the env vars that point tools at it, and who may
 * read it. `template` has no entry: its file names come from the owner's annotation.
 */
export interface RenderTarget {
  fileName: string;
  env(directory: string): V1EnvVar[];
  /** `owner-only` (0400) where the reading tool refuses anything wider; else readable (see readableMode). */
  access?: 'owner-only';
}

/** A single-quoted shell word: the helper below runs through `sh`, and a mount path may hold anything. */
const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * git has no env var for a credentials file, but reads config from `GIT_CONFIG_COUNT`/`KEY_n`/
 * `VALUE_n` (git ≥ 2.31). The helper answers `get` only: `store --file` would also try to rewrite
 * the read-only file after every successful clone and print "unable to get credential storage lock".
 */
function gitCredentialHelper(path: string): V1EnvVar[] {
  const helper = `!f() { if [ "$1" = get ]; then git credential-store --file=${shellWord(path)} get; fi; }; f`;
  return [
    { name: 'GIT_CONFIG_COUNT', value: '1' },
    { name: 'GIT_CONFIG_KEY_0', value: 'credential.helper' },
    { name: 'GIT_CONFIG_VALUE_0', value: helper },
  ];
}

export const renderTargets: Readonly<Record<Exclude<RenderFormat, 'template'>, RenderTarget>> = {
  kubeconfig: { fileName: 'kubeconfig', env: (dir) => [{ name: 'KUBECONFIG', value: `${dir}/kubeconfig` }] },
  // Docker and buildah read `config.json` from the directory DOCKER_CONFIG names.
  'docker-config': { fileName: 'config.json', env: (dir) => [{ name: 'DOCKER_CONFIG', value: dir }] },
  'aws-credentials': { fileName: 'credentials', env: (dir) => [{ name: 'AWS_SHARED_CREDENTIALS_FILE', value: `${dir}/credentials` }] },
  'rclone-conf': { fileName: 'rclone.conf', env: (dir) => [{ name: 'RCLONE_CONFIG', value: `${dir}/rclone.conf` }] },
  // NETRC is read by Python requests, wandb and the go command; curl and git read only ~/.netrc.
  netrc: { fileName: 'netrc', env: (dir) => [{ name: 'NETRC', value: `${dir}/netrc` }] },
  'git-credentials': { fileName: 'git-credentials', env: (dir) => gitCredentialHelper(`${dir}/git-credentials`) },
  // No standard variable names a .env file; tools are pointed at it by path.
  'env-file': { fileName: '.env', env: () => [] },
  // HF_TOKEN_PATH, not HF_HOME: HF_HOME also moves the model cache, here onto a read-only volume.
  'huggingface-token': { fileName: 'token', env: (dir) => [{ name: 'HF_TOKEN_PATH', value: `${dir}/token` }] },
  // libpq ignores a password file that group or others can read.
  pgpass: { fileName: 'pgpass', env: (dir) => [{ name: 'PGPASSFILE', value: `${dir}/pgpass` }], access: 'owner-only' },
};
