import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { Finding } from '../contract/decision.js';
import { keys } from '../contract/keys.js';
import type { InjectionOptions } from './options.js';
import { quantityValue } from './quantity.js';

/**
 * A pod's own settings for its agent, `credinject.dev/agent: "mode=init-only, cpu=50m, memory=64Mi"`.
 * `init-only` runs the agent as a plain init container that renders once and exits (Jobs, and
 * anyone who wants no sidecar: rendered files are then not refreshed on rotation); `sidecar` is the
 * operator's sidecar mode. `cpu` and `memory` are the agent's requests, within the operator's bounds.
 */
export interface AgentSettings {
  mode?: 'sidecar' | 'init-only';
  cpu?: string;
  memory?: string;
}

const modes = ['sidecar', 'init-only'] as const;
const settingNames = ['mode', 'cpu', 'memory'] as const;

/** Parse the annotation; problems are sentences naming it and the setting. */
export function parseAgentSettings(text: string): { settings: AgentSettings; problems: string[] } {
  const settings: AgentSettings = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of text.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    const [name = '', value = '', ...rest] = entry.split('=').map((part) => part.trim());
    if (!(settingNames as readonly string[]).includes(name) || value === '' || rest.length > 0) {
      problems.push(`${keys.agent} entry "${entry}" must be mode=sidecar|init-only, cpu=<quantity> or memory=<quantity>`);
    } else if (seen.has(name)) {
      problems.push(`${keys.agent} sets ${name} twice`);
    } else if (name === 'mode') {
      if ((modes as readonly string[]).includes(value)) settings.mode = value as AgentSettings['mode'];
      else problems.push(`${keys.agent} mode must be sidecar or init-only, not "${value}"`);
    } else if (quantityValue(value) === undefined) {
      problems.push(`${keys.agent} ${name}=${value} is not a resource quantity such as ${name === 'cpu' ? '50m' : '64Mi'}`);
    } else {
      settings[name as 'cpu' | 'memory'] = value;
    }
    seen.add(name);
  }
  if (seen.size === 0 && problems.length === 0) problems.push(`${keys.agent} is empty; set mode=…, cpu=… or memory=…, or remove it`);
  return { settings, problems };
}

/** The serve flag that sets each bound, named in denials so the pod's author knows whom to ask. */
const boundFlags = { cpu: { min: '--agent-min-cpu', max: '--agent-max-cpu' }, memory: { min: '--agent-min-memory', max: '--agent-max-memory' } } as const;

/**
 * The agent's resources for this pod: the operator's, with the pod's requests where it set them. A
 * request outside the operator's bounds denies naming the bound; a limit below the request is
 * raised to it (the API server refuses a request above its limit).
 */
export function agentResources(settings: AgentSettings | undefined, options: InjectionOptions): { resources: V1ResourceRequirements; findings: Finding[] } {
  const requests: Record<string, string> = { ...options.agentResources.requests };
  const limits: Record<string, string> = Object.fromEntries(Object.entries(options.agentResources.limits).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const findings: Finding[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const asked = settings?.[resource];
    if (asked === undefined) continue;
    const value = quantityValue(asked) ?? 0;
    const { min, max } = options.agentBounds[resource];
    if (value < (quantityValue(min) ?? 0)) {
      findings.push({ reason: 'InvalidAnnotation', message: `${keys.agent} ${resource}=${asked} is below the operator's minimum ${min} (serve ${boundFlags[resource].min}); ask for at least ${min}` });
    } else if (value > (quantityValue(max) ?? 0)) {
      findings.push({ reason: 'InvalidAnnotation', message: `${keys.agent} ${resource}=${asked} is above the operator's maximum ${max} (serve ${boundFlags[resource].max}); ask for at most ${max}` });
    }
    requests[resource] = asked;
    const limit = limits[resource];
    if (limit !== undefined && (quantityValue(limit) ?? 0) < value) limits[resource] = asked;
  }
  return { resources: { requests, limits }, findings };
}
