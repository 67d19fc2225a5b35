import { z } from 'zod';
import { isPlainAbsolutePath, plainPathMessage, renderFormats } from './agentPlanNames.js';

// The constants live in a zod-free module so the agent sidecar can use them without loading zod.
export { agentPaths, agentPlanEnv, renderFormats } from './agentPlanNames.js';

/** A file format the agent renders (see `renderFormats`). */
export const RenderFormat = z.enum(renderFormats);
export type RenderFormat = z.infer<typeof RenderFormat>;

/**
 * Where a login format (netrc, git-credentials, pgpass, huggingface-token) finds its parts: Secret
 * key names, and the host itself when the owner gave it as an annotation. Never a value.
 */
export const LoginSource = z.object({
  /** The host from the Secret's `credinject.dev/host` annotation; else `hostKey` names the key. */
  host: z.string().min(1).optional(),
  hostKey: z.string().min(1).optional(),
  usernameKey: z.string().min(1).optional(),
  passwordKey: z.string().min(1),
  portKey: z.string().min(1).optional(),
  databaseKey: z.string().min(1).optional(),
});
export type LoginSource = z.infer<typeof LoginSource>;

/** One line of an env file: the env name and the Secret key its value comes from. */
export const EnvEntry = z.object({ name: z.string().min(1), key: z.string().min(1) });
export type EnvEntry = z.infer<typeof EnvEntry>;

export const AgentOutput = z.object({
  /** Credential (Secret) name; used in log lines, never its values. */
  credential: z.string().min(1),
  format: RenderFormat,
  /** Directory of the Secret volume (kubelet's atomic-writer layout with `..data`). */
  sourceDir: z.string().min(1).refine(isPlainAbsolutePath, plainPathMessage),
  /** Absolute path of the rendered file inside the shared emptyDir. */
  path: z.string().min(1).refine(isPlainAbsolutePath, plainPathMessage),
  /** File mode, 0400 or 0440. */
  mode: z.number().int().min(0).max(0o777),
  /** netrc, git-credentials, pgpass, huggingface-token: which keys hold the login. */
  login: LoginSource.optional(),
  /** env-file: the lines, in order. */
  env: z.array(EnvEntry).min(1).optional(),
  /**
   * template: the owner's template from the Secret's `credinject.dev/templates`. The agent reads only
   * the Secret volume, not the Secret's annotations, so the engine hands the template over here.
   */
  template: z.string().optional(),
});
export type AgentOutput = z.infer<typeof AgentOutput>;

/** Everything the agent needs to run, written by the engine into the agent container's env. */
export const AgentPlan = z.object({
  version: z.literal(1),
  outputs: z.array(AgentOutput).min(1),
});
export type AgentPlan = z.infer<typeof AgentPlan>;
