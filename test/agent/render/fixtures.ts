import type { V1EnvVar, V1Pod, V1Secret } from '@kubernetes/client-node';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type AgentOutput, type AgentPlan, type RenderFormat, agentPlanEnv } from '../../../src/contract/agentPlan.js';
import { staticCredentials } from '../../../src/credentials/staticCredentials.js';
import { injectObject } from '../../../src/engine/injectObject.js';
import { defaultInjectionOptions } from '../../../src/engine/options.js';
import type { RenderResult, Renderer, SecretFiles } from '../../../src/agent/render/index.js';

const root = fileURLToPath(new URL('../../fixtures/agent/', import.meta.url));

/** A fixture Secret's data as the agent sees it in the volume: `data` decoded, then `stringData`. */
export function secretFiles(name: string): Map<string, Buffer> {
  const secret = parse(readFileSync(`${root}secrets/${name}.yaml`, 'utf8')) as {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  const files = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {})) files.set(key, Buffer.from(value, 'base64'));
  for (const [key, value] of Object.entries(secret.stringData ?? {})) files.set(key, Buffer.from(value, 'utf8'));
  return files;
}

/** The fixture Secret's metadata.name: the credential name renderers get. */
export function secretName(name: string): string {
  const secret = parse(readFileSync(`${root}secrets/${name}.yaml`, 'utf8')) as { metadata: { name: string } };
  return secret.metadata.name;
}

/**
 * The expected output for a case. `UPDATE_GOLDEN=1` writes `actual` instead, for a deliberate
 * format change; review the diff before committing it.
 */
export function golden(file: string, actual: string): string {
  const path = `${root}golden/${file}`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}

/** A copy of a fixture's files with some keys replaced (Buffer/string) or removed (undefined). */
export function withKeys(files: ReadonlyMap<string, Buffer>, changes: Record<string, string | undefined>): Map<string, Buffer> {
  const copy = new Map(files);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) copy.delete(key);
    else copy.set(key, Buffer.from(value, 'utf8'));
  }
  return copy;
}

/** A fixture Secret as the API server would hold it. */
export function secretObject(name: string): V1Secret {
  return parse(readFileSync(`${root}secrets/${name}.yaml`, 'utf8')) as V1Secret;
}

/**
 * The agent's outputs the engine plans for a pod asking `credinject.dev/render: <fixture>:<format>`:
 * renderers are tested with the settings the engine really hands them, not hand-written ones.
 */
export function plannedOutputs(fixture: string, format: RenderFormat, mountPath?: string): { outputs: AgentOutput[]; env: V1EnvVar[] } {
  const secret = secretObject(fixture);
  const name = secret.metadata?.name ?? '';
  const annotations: Record<string, string> = { 'credinject.dev/render': `${name}:${format}` };
  if (mountPath !== undefined) annotations[`mount-path.credinject.dev/${name}`] = mountPath;
  const pod: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a', annotations }, spec: { containers: [{ name: 'app', image: 'app:1' }] } };
  const result = injectObject(pod, 'team-a', staticCredentials([secret], 'team-a'), defaultInjectionOptions);
  if (result.denial) throw new Error(`the engine denied ${fixture}:${format}: ${result.denial.message}`);
  const injected = result.object as V1Pod;
  const agent = injected.spec?.initContainers?.find((container) => container.name === 'credinject-agent');
  const plan = agent?.env?.find((variable) => variable.name === agentPlanEnv)?.value;
  if (plan === undefined) throw new Error(`no agent planned for ${fixture}:${format}`);
  return { outputs: (JSON.parse(plan) as AgentPlan).outputs, env: injected.spec?.containers[0]?.env ?? [] };
}

/** The one output the engine plans for a fixture and format (e.g. to hand its settings to a renderer). */
export function plannedOutput(fixture: string, format: RenderFormat): AgentOutput {
  const { outputs } = plannedOutputs(fixture, format);
  const [output] = outputs;
  if (outputs.length !== 1 || output === undefined) throw new Error(`expected one output for ${fixture}:${format}, got ${outputs.length}`);
  return output;
}

/** Render a fixture the way the agent would: with the planned settings, from the volume's files. */
export function renderPlanned(render: Renderer, fixture: string, format: RenderFormat, files: SecretFiles = secretFiles(fixture)): RenderResult {
  const output = plannedOutput(fixture, format);
  return render(files, output.credential, output);
}
