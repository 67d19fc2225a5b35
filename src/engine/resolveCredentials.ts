import type { CredentialInfo, CredentialLookup } from '../credentials/credentialInfo.js';
import { describeProblems } from '../credentials/validateCredential.js';
import type { Finding } from '../contract/decision.js';
import { keys } from '../contract/keys.js';

/**
 * Look every requested credential up in the object's namespace. Missing and invalid ones are all
 * reported at once, each by name, so one round trip shows the user everything to fix.
 */
export function resolveCredentials(
  names: readonly string[],
  namespace: string,
  lookup: CredentialLookup,
): { credentials: CredentialInfo[]; findings: Finding[] } {
  const credentials: CredentialInfo[] = [];
  const findings: Finding[] = [];
  for (const name of names) {
    const info = lookup.get(namespace, name);
    if (!info) {
      findings.push({
        reason: 'CredentialNotFound',
        message: `credential "${name}" not found in namespace "${namespace}": create a Secret "${name}" labelled ${keys.typeLabel}`,
      });
    } else if (info.problems.length > 0) {
      findings.push({ reason: 'InvalidCredential', message: `credential "${name}" is invalid: ${describeProblems(info.problems)}` });
    } else {
      credentials.push(info);
    }
  }
  return { credentials, findings };
}
