import type { V1Container, V1EnvVar } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import { credentialTypes } from '../credentials/registry.js';
import type { Contribution } from './credentialContribution.js';
import { isSubset } from './isSubset.js';
import { shortWarning } from '../contract/warnings.js';
import type { Finding } from '../contract/decision.js';

/**
 * How to resolve two credentials setting one variable, suggesting only what works: an env prefix
 * changes the names of a type that takes one (`access-key`, `password`, `generic`); every other
 * type's names are fixed (`kubernetes` and `oci` both set KUBECONFIG whatever the annotations say).
 */
function conflictHint(first: string, second: string, contributions: readonly Contribution[]): string {
  const prefixable = [first, second].filter((name) => {
    const contribution = contributions.find(({ credential }) => credential.name === name);
    return contribution !== undefined && credentialTypes.get(contribution.credential.type)?.envPrefix === true;
  });
  if (prefixable.length === 0) return 'inject only one of them';
  return `inject only one, or set ${prefixable.map((name) => `${keys.envPrefixFor}${name}`).join(' or ')}`;
}

/**
 * Add the credentials' env vars to one container. A variable the container already sets wins (with a
 * warning naming it); one we added before is left alone; two credentials setting one name deny.
 */
export function injectContainerEnv(container: V1Container, contributions: readonly Contribution[]): { warnings: string[]; findings: Finding[] } {
  const warnings: string[] = [];
  const findings: Finding[] = [];
  const owners = new Map<string, string>();
  const existing = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  const added: V1EnvVar[] = [];
  for (const { credential, env } of contributions) {
    for (const variable of env) {
      const owner = owners.get(variable.name);
      if (owner !== undefined && owner !== credential.name) {
        findings.push({
          reason: 'Conflict',
          message: `credentials "${owner}" and "${credential.name}" both set ${variable.name} in container "${container.name}"; ${conflictHint(owner, credential.name, contributions)}`,
        });
        continue;
      }
      owners.set(variable.name, credential.name);
      const present = existing.get(variable.name);
      if (present === undefined) {
        added.push(variable);
        existing.set(variable.name, variable);
      } else if (!isSubset(variable, present)) {
        warnings.push(shortWarning(`container "${container.name}" keeps its own ${variable.name}; credential "${credential.name}" did not override it`));
      }
    }
  }
  if (added.length > 0) container.env = [...(container.env ?? []), ...added];
  return { warnings, findings };
}
