import type { LoginSource } from '../contract/agentPlan.js';
import { keys } from '../contract/keys.js';
import type { CredentialInfo } from './credentialInfo.js';

/**
 * Which of a credential's keys make the login of netrc, git-credentials, pgpass and
 * huggingface-token, from key names and annotations only:
 * - password or token: the key `credinject.dev/password-key` names, else `password`, else `token`;
 * - host: the `credinject.dev/host` annotation, else the key `host` (not needed for a token file);
 * - user name, port, database: the keys `username`, `port`, `database` when present (the formats
 *   have defaults: `user` for netrc and git, `*` for pgpass).
 * Returns what is missing, named so the owner knows what to add.
 */
export function loginSource(credential: CredentialInfo, needsHost: boolean): { source: LoginSource } | { missing: string[] } {
  const has = (key: string): boolean => credential.keys.includes(key);
  const missing: string[] = [];
  const passwordKey = credential.annotations[keys.passwordKey] ?? ['password', 'token'].find(has);
  if (passwordKey === undefined) missing.push(`a password or token: key "password" or "token", or annotation ${keys.passwordKey} naming the key`);
  const host = credential.annotations[keys.host]?.trim();
  if (needsHost && host === undefined && !has('host')) missing.push(`a host: key "host" or annotation ${keys.host} (e.g. "api.wandb.ai")`);
  if (passwordKey === undefined || missing.length > 0) return { missing };
  const source: LoginSource = { passwordKey };
  if (needsHost) {
    if (host !== undefined) source.host = host;
    else source.hostKey = 'host';
  }
  if (has('username')) source.usernameKey = 'username';
  if (needsHost && has('port')) source.portKey = 'port';
  if (needsHost && has('database')) source.databaseKey = 'database';
  return { source };
}
