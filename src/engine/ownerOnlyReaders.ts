import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { shortWarning } from '../contract/warnings.js';
import { agentRunAsUser } from './agentSidecar.js';
import type { Contribution } from './credentialContribution.js';
import type { InjectionOptions } from './options.js';

/**
 * Rendered files that must be 0400 (libpq ignores a password file that group or others can read)
 * belong to the agent's UID, so only a container running as that UID (or root) reads them. An app
 * container with another UID, or none set (the image's user, unknown here), gets a warning naming
 * the UID to run as; the pod's `runAsUser` sets it for the agent and the app alike.
 */
export function ownerOnlyReadWarnings(spec: V1PodSpec, contributions: readonly Contribution[], targets: readonly V1Container[], options: InjectionOptions): string[] {
  const uid = agentRunAsUser(spec, options);
  const warnings: string[] = [];
  for (const { credential, rendered } of contributions) {
    const ownerOnly = rendered?.outputs.filter((output) => output.ownerOnly) ?? [];
    if (ownerOnly.length === 0) continue;
    for (const container of targets) {
      const runsAs = container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
      if (runsAs === uid || runsAs === 0) continue;
      const files = ownerOnly.map((output) => output.fileName).join(', ');
      warnings.push(shortWarning(`${files} of "${credential.name}" is 0400 for UID ${uid}: run container "${container.name}" as UID ${uid} (pod runAsUser)`));
    }
  }
  return warnings;
}
