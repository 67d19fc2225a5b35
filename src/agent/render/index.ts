import type { RenderFormat } from '../../contract/agentPlan.js';
import type { Renderer } from './renderer.js';

export type { RenderResult, RenderSettings, Renderer, SecretFiles } from './renderer.js';

/**
 * Each format's renderer, loaded on first use: the agent is a long-lived sidecar in every pod, and
 * a pod that renders no kubeconfig should not keep the `yaml` package (nor a template `mustache`) in memory.
 */
const loaders: Record<RenderFormat, () => Promise<Renderer>> = {
  kubeconfig: async () => (await import('./kubeconfig.js')).renderKubeconfig,
  'docker-config': async () => (await import('./dockerConfig.js')).renderDockerConfig,
  'aws-credentials': async () => (await import('./awsCredentials.js')).renderAwsCredentials,
  'rclone-conf': async () => (await import('./rcloneConf.js')).renderRcloneConf,
  netrc: async () => (await import('./netrc.js')).renderNetrc,
  'git-credentials': async () => (await import('./gitCredentials.js')).renderGitCredentials,
  'env-file': async () => (await import('./envFile.js')).renderEnvFile,
  'huggingface-token': async () => (await import('./huggingfaceToken.js')).renderHuggingfaceToken,
  pgpass: async () => (await import('./pgpass.js')).renderPgpass,
  template: async () => (await import('./template.js')).renderTemplate,
};

/** The renderer for a format (module loaded once, then cached by the module system). */
export function loadRenderer(format: RenderFormat): Promise<Renderer> {
  return loaders[format]();
}
