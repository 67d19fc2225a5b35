import { keys } from '../contract/keys.js';
import type { CredentialProblem } from './credentialInfo.js';
import { parseHostPort } from './rules/hostPort.js';
import { checkTemplates } from './templateAnnotation.js';

/**
 * Check the Secret annotations the agent's formats read: the host of the login formats, the key
 * holding their password, and the owner's templates. Checked when the Secret is written, so a pod
 * asking for them is not the first to find out.
 */
export function checkRenderAnnotations(annotations: Readonly<Record<string, string>>, dataKeys: readonly string[]): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const host = annotations[keys.host];
  if (host !== undefined) {
    if (!parseHostPort(host)) {
      problems.push({ rule: 'bad-host', message: `annotation ${keys.host} must be a host name or address with an optional :port, e.g. "api.wandb.ai" or "db.example.com:5432" (no scheme, user or path)` });
    }
    if (dataKeys.includes('host')) {
      problems.push({ key: 'host', rule: 'conflict', message: `the host is set twice, by key "host" and by annotation ${keys.host}; keep one` });
    }
  }
  const passwordKey = annotations[keys.passwordKey];
  if (passwordKey !== undefined && !dataKeys.includes(passwordKey)) {
    problems.push({ rule: 'unknown-key', message: `annotation ${keys.passwordKey} names key "${passwordKey}", which the Secret does not have` });
  }
  const templates = annotations[keys.templates];
  if (templates !== undefined) problems.push(...checkTemplates(templates, dataKeys));
  return problems;
}
