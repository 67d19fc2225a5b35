/**
 * The plan contract's plain constants, kept free of zod: the agent sidecar imports these without
 * loading zod (about 7 MB of resident memory in every pod). `plan.ts` re-exports them.
 */

/** File formats the agent can render from a credential's Secret volume. */
export const renderFormats = [
  'kubeconfig',
  'docker-config',
  'aws-credentials',
  'rclone-conf',
  'netrc',
  'git-credentials',
  'env-file',
  'huggingface-token',
  'pgpass',
  'template',
] as const;

/** Env var through which the engine hands the agent its plan (JSON of `AgentPlan`). */
export const agentPlanEnv = 'CREDINJECT_AGENT_PLAN';

/** Where the injected agent finds Secret volumes and writes rendered files. */
export const agentPaths = {
  secretsRoot: '/var/run/credinject/secrets',
  renderedRoot: '/var/run/credinject/rendered',
} as const;

/**
 * An absolute path in its plain form: no empty, `.` or `..` segments, so that what it names is
 * what it says (a plan path with `../` must not reach outside the agent's output directory).
 */
export function isPlainAbsolutePath(text: string): boolean {
  return text.startsWith('/') && text.length > 1 && text.slice(1).split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export const plainPathMessage = 'expected an absolute path without empty, "." or ".." segments';

/** Whether plain absolute `path` lies below plain absolute directory `dir`. */
export function isBelow(path: string, dir: string): boolean {
  return path.startsWith(dir === '/' ? '/' : `${dir}/`) && path !== dir;
}
