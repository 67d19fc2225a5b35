import { z } from 'zod';
import { isPlainAbsolutePath, plainPathMessage, renderFormats } from './agentPlanNames.js';

// The constants live in a zod-free module so the agent sidecar can use them without loading zod.
export { agentPaths, agentPlanEnv, renderFormats } from './agentPlanNames.js';

/** A file format the agent renders (see `renderFormats`). */
export const RenderFormat = z.enum(renderFormats);
export type RenderFormat = z.infer<typeof RenderFormat>;

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
});
export type AgentOutput = z.infer<typeof AgentOutput>;

/** Everything the agent needs to run, written by the engine into the agent container's env. */
export const AgentPlan = z.object({
  version: z.literal(1),
  outputs: z.array(AgentOutput).min(1),
});
export type AgentPlan = z.infer<typeof AgentPlan>;
