import { RenderFormat, renderFormats } from '../contract/agentPlan.js';
import { isRecord } from '../contract/json.js';
import { keys } from '../contract/keys.js';
import { isDnsSubdomain } from '../contract/names.js';
import { envPrefixRule, isEnvPrefix } from '../credentials/formatChecks.js';
import { type EnvMapping, parseEnvMapping } from '../credentials/rules/envMapping.js';
import { fileModeRule, parseFileMode } from '../credentials/rules/fileMode.js';
import { mountPathProblem, normalMountPath } from '../credentials/rules/mountPath.js';
import { type AgentSettings, parseAgentSettings } from './agentSettings.js';

/** What an object's credinject annotations ask for, parsed once into a typed value. */
export interface InjectionRequest {
  /** Credential names in the order given, each once; includes those named only by `render`. */
  credentials: string[];
  /** Containers to inject into; undefined means every entry of `spec.containers`. */
  containers?: string[];
  render: Map<string, RenderFormat[]>;
  mountPaths: Map<string, string>;
  envPrefixes: Map<string, string>;
  /** `env.credinject.dev/<credential>`: only these keys become env, under these names. */
  envMappings: Map<string, EnvMapping[]>;
  /** `keys.credinject.dev/<credential>`: only these keys are injected (env and files). */
  keySubsets: Map<string, string[]>;
  /** `mode.credinject.dev/<credential>`: the mode of that credential's files. */
  fileModes: Map<string, number>;
  /** `credinject.dev/agent`: the pod's agent settings. */
  agent?: AgentSettings;
}

function splitList(value: string): string[] {
  return [...new Set(value.split(',').map((item) => item.trim()).filter((item) => item !== ''))];
}

/** Credential names the annotations mention (inject and render), unvalidated: for the usage index. */
export function requestedCredentialNames(annotations: Readonly<Record<string, string>> | undefined): string[] {
  if (!annotations) return [];
  const rendered = splitList(annotations[keys.render] ?? '').map((entry) => entry.split(':')[0]?.trim() ?? '');
  return [...new Set([...splitList(annotations[keys.inject] ?? ''), ...rendered])].filter((name) => name !== '');
}

/**
 * The annotation keys whose presence asks credinject for something: `render` alone is a request
 * too. The webhooks' matchConditions test exactly these (charts/credinject, test/deploy).
 */
export const requestKeys = [keys.inject, keys.render] as const;

/** True when the annotations ask credinject for anything at all. */
export function requestsInjection(annotations: Readonly<Record<string, string>> | null | undefined): boolean {
  return isRecord(annotations) && requestKeys.some((key) => key in annotations);
}

/**
 * Parse the annotations of a Pod or pod template. Returns the request, or the list of problems
 * (each a sentence naming the annotation and how to fix it); undefined when nothing is asked.
 */
export function parseInjectionRequest(
  annotations: Readonly<Record<string, string>> | undefined,
): { request?: InjectionRequest; problems: string[] } {
  if (!annotations || !requestsInjection(annotations)) return { problems: [] };
  const problems: string[] = [];
  const credentials = splitList(annotations[keys.inject] ?? '');
  const render = new Map<string, RenderFormat[]>();
  for (const entry of splitList(annotations[keys.render] ?? '')) {
    const [name = '', format = '', ...rest] = entry.split(':').map((part) => part.trim());
    const parsed = RenderFormat.safeParse(format);
    if (name === '' || rest.length > 0 || !parsed.success) {
      problems.push(`${keys.render} entry "${entry}" must be <credential>:<format> with format one of ${renderFormats.join(', ')}`);
      continue;
    }
    render.set(name, [...new Set([...(render.get(name) ?? []), parsed.data])]);
    if (!credentials.includes(name)) credentials.push(name);
  }
  for (const name of credentials) {
    if (!isDnsSubdomain(name)) problems.push(`"${name}" in ${keys.inject} is not a valid Secret name`);
  }
  const request: InjectionRequest = { credentials, render, mountPaths: new Map(), envPrefixes: new Map(), envMappings: new Map(), keySubsets: new Map(), fileModes: new Map() };
  for (const [key, value] of Object.entries(annotations)) problems.push(...parseCredentialSetting(key, value, request));
  if (credentials.length === 0) problems.push(`${keys.inject} names no credential; list Secret names separated by commas`);
  if (keys.containers in annotations) request.containers = splitList(annotations[keys.containers] ?? '');
  if (keys.agent in annotations) {
    const agent = parseAgentSettings(annotations[keys.agent] ?? '');
    problems.push(...agent.problems);
    request.agent = agent.settings;
  }
  return problems.length > 0 ? { problems } : { request, problems };
}

/**
 * One `<setting>.credinject.dev/<credential>` annotation into `request`; returns its problems. Each
 * names the annotation and the credential, since a pod may carry several of them.
 */
function parseCredentialSetting(key: string, value: string, request: InjectionRequest): string[] {
  if (key.startsWith(keys.mountPathFor)) {
    const problem = mountPathProblem(value);
    if (problem) return [`${key} ${problem}`];
    request.mountPaths.set(key.slice(keys.mountPathFor.length), normalMountPath(value));
  } else if (key.startsWith(keys.envPrefixFor)) {
    if (!isEnvPrefix(value)) return [`${key} ${envPrefixRule}`];
    request.envPrefixes.set(key.slice(keys.envPrefixFor.length), value);
  } else if (key.startsWith(keys.envFor)) {
    const parsed = parseEnvMapping(value);
    if (!parsed.ok) return parsed.problems.map((problem) => `${key} ${problem}`);
    request.envMappings.set(key.slice(keys.envFor.length), parsed.mapping);
  } else if (key.startsWith(keys.keysFor)) {
    const listed = splitList(value);
    if (listed.length === 0) return [`${key} names no key; list the keys to inject separated by commas, or remove it`];
    request.keySubsets.set(key.slice(keys.keysFor.length), listed);
  } else if (key.startsWith(keys.modeFor)) {
    const mode = parseFileMode(value);
    if (mode === undefined) return [`${key} ${fileModeRule}`];
    request.fileModes.set(key.slice(keys.modeFor.length), mode);
  }
  return [];
}
