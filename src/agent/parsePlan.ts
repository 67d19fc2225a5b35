import { isRecord } from '../contract/json.js';
import type { AgentOutput, AgentPlan, EnvEntry, LoginSource } from '../contract/agentPlan.js';
import { isBelow, isPlainAbsolutePath, plainPathMessage, renderFormats } from '../contract/agentPlanNames.js';

export type PlanResult = { ok: true; plan: AgentPlan } | { ok: false; message: string };

const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

const loginFields = ['host', 'hostKey', 'usernameKey', 'passwordKey', 'portKey', 'databaseKey'] as const;

function loginAt(value: unknown, at: string): LoginSource | string {
  if (!isRecord(value)) return `${at}: expected an object`;
  const login: Record<string, string> = {};
  for (const field of loginFields) {
    const item = value[field];
    if (item === undefined && field !== 'passwordKey') continue;
    if (!isName(item)) return `${at}.${field}: expected a non-empty string`;
    login[field] = item;
  }
  return login as LoginSource;
}

function envAt(value: unknown, at: string): EnvEntry[] | string {
  if (!Array.isArray(value) || value.length === 0) return `${at}: expected a non-empty array`;
  const entries: EnvEntry[] = [];
  for (const [index, item] of value.entries()) {
    if (!isRecord(item)) return `${at}.${index}: expected an object`;
    const { name, key } = item;
    if (!isName(name)) return `${at}.${index}.name: expected a non-empty string`;
    if (!isName(key)) return `${at}.${index}.key: expected a non-empty string`;
    entries.push({ name, key });
  }
  return entries;
}

/** The optional per-format settings of an output, checked like the required fields. */
function settingsAt(value: Record<string, unknown>, at: string): Pick<AgentOutput, 'login' | 'env' | 'template'> | string {
  const settings: Pick<AgentOutput, 'login' | 'env' | 'template'> = {};
  if (value['login'] !== undefined) {
    const login = loginAt(value['login'], `${at}.login`);
    if (typeof login === 'string') return login;
    settings.login = login;
  }
  if (value['env'] !== undefined) {
    const env = envAt(value['env'], `${at}.env`);
    if (typeof env === 'string') return env;
    settings.env = env;
  }
  if (value['template'] !== undefined) {
    if (typeof value['template'] !== 'string') return `${at}.template: expected a string`;
    settings.template = value['template'];
  }
  return settings;
}

function outputAt(value: unknown, at: string): AgentOutput | string {
  if (!isRecord(value)) return `${at}: expected an object`;
  const { credential, format, sourceDir, path, mode } = value;
  if (!isName(credential)) return `${at}.credential: expected a non-empty string`;
  if (!renderFormats.some((known) => known === format)) return `${at}.format: expected one of ${renderFormats.join(', ')}`;
  if (!isName(sourceDir)) return `${at}.sourceDir: expected a non-empty string`;
  if (!isPlainAbsolutePath(sourceDir)) return `${at}.sourceDir: ${plainPathMessage}`;
  if (!isName(path)) return `${at}.path: expected a non-empty string`;
  if (!isPlainAbsolutePath(path)) return `${at}.path: ${plainPathMessage}`;
  if (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    return `${at}.mode: expected an integer file mode from 0 to 0777`;
  }
  const settings = settingsAt(value, at);
  if (typeof settings === 'string') return settings;
  // Known fields only, as zod's z.object strips the rest.
  return { credential, format: format as AgentOutput['format'], sourceDir, path, mode, ...settings };
}

/**
 * Parse the agent's plan with the rules of the zod `AgentPlan` schema, without zod: the sidecar runs
 * in every pod and zod costs it ~7 MB of memory. A test holds this parser to the schema. Also
 * rejects two outputs writing one path, which would make them overwrite each other forever, and,
 * given the agent's output directory, any output outside it.
 */
export function parsePlan(json: string, outputDir?: string): PlanResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  if (!isRecord(value)) return { ok: false, message: 'expected a JSON object' };
  if (value['version'] !== 1) return { ok: false, message: 'version: expected 1' };
  const list = value['outputs'];
  if (!Array.isArray(list) || list.length === 0) return { ok: false, message: 'outputs: expected a non-empty array' };
  const outputs: AgentOutput[] = [];
  const seen = new Set<string>();
  for (const [index, item] of list.entries()) {
    const output = outputAt(item, `outputs.${index}`);
    if (typeof output === 'string') return { ok: false, message: output };
    if (seen.has(output.path)) return { ok: false, message: `outputs.${index}.path: another output already writes ${output.path}` };
    if (outputDir !== undefined && !isBelow(output.path, outputDir)) return { ok: false, message: `outputs.${index}.path: must be inside the output directory ${outputDir}` };
    seen.add(output.path);
    outputs.push(output);
  }
  return { ok: true, plan: { version: 1, outputs } };
}
