import type { V1PodSpec, V1Volume } from '@kubernetes/client-node';
import type { Contribution } from './credentialContribution.js';
import { isSubset } from './isSubset.js';
import type { Finding } from '../contract/decision.js';

/** Volumes a contribution needs at pod level (files for apps, Secret and output for the agent). */
function volumesOf(contribution: Contribution): V1Volume[] {
  const rendered = contribution.rendered ? [contribution.rendered.secretVolume, contribution.rendered.outputVolume] : [];
  return [...(contribution.fileVolume ? [contribution.fileVolume] : []), ...rendered];
}

/**
 * Add credential volumes and image pull secrets to the pod spec. Names are deterministic, so a
 * volume already there with our content is ours from an earlier invocation; other content denies.
 */
export function injectPodVolumes(spec: V1PodSpec, contributions: readonly Contribution[]): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map((spec.volumes ?? []).map((volume) => [volume.name, volume]));
  const added: V1Volume[] = [];
  for (const contribution of contributions) {
    for (const volume of volumesOf(contribution)) {
      const present = byName.get(volume.name);
      if (present === undefined) {
        added.push(volume);
        byName.set(volume.name, volume);
      } else if (!isSubset(volume, present)) {
        findings.push({
          reason: 'Conflict',
          message: `volume "${volume.name}" for credential "${contribution.credential.name}" already exists with other content; rename that volume`,
        });
      }
    }
  }
  if (added.length > 0) spec.volumes = [...(spec.volumes ?? []), ...added];
  const pullSecrets = contributions.flatMap((contribution) => contribution.pullSecret ?? []);
  const missing = pullSecrets.filter((name) => !(spec.imagePullSecrets ?? []).some((ref) => ref.name === name));
  if (missing.length > 0) spec.imagePullSecrets = [...(spec.imagePullSecrets ?? []), ...missing.map((name) => ({ name }))];
  return findings;
}
