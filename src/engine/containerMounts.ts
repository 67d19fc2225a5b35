import type { V1Container, V1VolumeMount } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import { normalMountPath } from '../credentials/rules/mountPath.js';
import type { Contribution } from './credentialContribution.js';
import type { Finding } from '../contract/decision.js';

/** The volume a contribution shows to app containers, if any. */
function appVolumeName(contribution: Contribution): string | undefined {
  return contribution.fileVolume?.name ?? contribution.rendered?.outputVolume.name;
}


/**
 * Mount each credential's directory read-only into one container. A path another volume already
 * uses, or that two credentials want, denies with both names: the API server would reject it anyway.
 * Paths are compared as the runtime resolves them (`/etc//app`, `/etc/./app/` and `/etc/app` are one).
 */
export function injectContainerMounts(container: V1Container, contributions: readonly Contribution[]): Finding[] {
  const findings: Finding[] = [];
  const byPath = new Map((container.volumeMounts ?? []).map((mount) => [normalMountPath(mount.mountPath), mount]));
  const owners = new Map<string, string>();
  const added: V1VolumeMount[] = [];
  for (const contribution of contributions) {
    const volume = appVolumeName(contribution);
    if (volume === undefined) continue;
    const name = contribution.credential.name;
    const path = contribution.mountPath;
    const point = normalMountPath(path);
    const owner = owners.get(point);
    if (owner !== undefined) {
      findings.push({ reason: 'Conflict', message: `credentials "${owner}" and "${name}" both mount at ${path} in container "${container.name}"; set ${keys.mountPathFor}${name}` });
      continue;
    }
    owners.set(point, name);
    const present = byPath.get(point);
    if (present === undefined) {
      added.push({ name: volume, mountPath: path, readOnly: true });
    } else if (present.name !== volume) {
      findings.push({
        reason: 'Conflict',
        message: `credential "${name}" mounts at ${path}, where container "${container.name}" already mounts volume "${present.name}"; set ${keys.mountPathFor}${name}`,
      });
    }
  }
  if (added.length > 0) container.volumeMounts = [...(container.volumeMounts ?? []), ...added];
  return findings;
}
