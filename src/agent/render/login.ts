import { parseHostPort } from '../../credentials/rules/hostPort.js';
import type { LoginSource } from '../../contract/agentPlan.js';
import { type SecretFiles, singleLine, textOf } from './renderer.js';

/** A login read from a Secret volume: the parts netrc, git-credentials and pgpass are made of. */
export interface Login {
  host: string;
  port?: string;
  username?: string;
  password: string;
  database?: string;
}

/** A key that must hold one line; the message names the key, never its value. */
function lineOf(files: SecretFiles, key: string): { value?: string; error?: string } {
  const text = textOf(files, key);
  if (text === undefined) return { error: `missing key "${key}"` };
  const line = singleLine(text);
  return line.ok ? { value: line.value } : { error: `key "${key}" must be a single line` };
}

/** The password or token the plan names: a single line. */
export function readSecretLine(files: SecretFiles, source: LoginSource | undefined): { value: string } | { error: string } {
  if (!source) return { error: 'the plan names no password key' };
  const read = lineOf(files, source.passwordKey);
  return read.value === undefined ? { error: read.error ?? 'no password' } : { value: read.value };
}

/** The host and port, from the annotation the engine copied into the plan or from a key. */
function addressOf(files: SecretFiles, plan: LoginSource): { host: string; port?: string; where: string } | { error: string } {
  let text = plan.host;
  const where = text !== undefined ? 'annotation credinject.dev/host' : `key "${plan.hostKey ?? 'host'}"`;
  if (text === undefined) {
    if (plan.hostKey === undefined) return { error: 'the plan names no host' };
    const read = lineOf(files, plan.hostKey);
    if (read.value === undefined) return { error: read.error ?? 'no host' };
    text = read.value;
  }
  const address = parseHostPort(text);
  return address ? { ...address, where } : { error: `${where} is not a host name with an optional :port (no scheme, user or path)` };
}

const isPort = (text: string): boolean => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

/**
 * Read the login the plan's `login` names. The host annotation was checked by the webhook and is
 * checked again here; optional keys the plan names must be present, since the engine saw them.
 */
export function readLogin(files: SecretFiles, source: LoginSource | undefined): Login | { error: string } {
  const password = readSecretLine(files, source);
  if ('error' in password) return password;
  const plan = source as LoginSource;
  const address = addressOf(files, plan);
  if ('error' in address) return address;
  const login: Login = { host: address.host, password: password.value };
  if (address.port !== undefined) login.port = address.port;
  for (const [field, key] of [['username', plan.usernameKey], ['port', plan.portKey], ['database', plan.databaseKey]] as const) {
    if (key === undefined) continue;
    const read = lineOf(files, key);
    if (read.value === undefined) return { error: read.error ?? `missing key "${key}"` };
    if (field === 'port' && login.port !== undefined) return { error: `the port is set twice, in ${address.where} and by key "${key}"` };
    if (field === 'port' && !isPort(read.value)) return { error: `key "${key}" must be a port number from 1 to 65535` };
    login[field] = read.value;
  }
  return login;
}
