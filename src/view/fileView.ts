import type { V1Secret } from '@kubernetes/client-node';
import { userKindOfObject } from '../contract/workloadKinds.js';
import { isCredentialSecret, staticCredentials } from '../credentials/staticCredentials.js';
import { objectUsage } from '../engine/objectUsage.js';
import { objectShapeProblems } from '../engine/podShape.js';
import { describeObject, parseManifests, readSource } from '../manifests/manifests.js';
import { createCredentialStore } from './credentialStore.js';
import { createUsageIndex } from './usageIndex.js';
import type { KubeView } from './view.js';

/** Where objects of a file that name no namespace belong, as `kubectl apply` would put them. */
export const fileDefaultNamespace = 'default';

/** A view of a file, with what in the file it had to leave out and why. */
export interface FileView extends KubeView {
  /** One sentence per object skipped, naming it and its malformed fields; never a value. */
  problems: string[];
}

/**
 * A view served from manifests instead of a cluster (`inject --credentials`, `serve
 * --credentials-file`, benchmarks): their credential Secrets, and, when the file also holds Pods or
 * workloads, their references for deletion protection. Values are dropped here exactly as the
 * informers drop them; objects that name no namespace belong to `defaultNamespace`.
 */
export function fileView(objects: readonly unknown[], defaultNamespace: string = fileDefaultNamespace): FileView {
  const credentials = createCredentialStore();
  for (const info of staticCredentials(objects.filter(isCredentialSecret) as V1Secret[], defaultNamespace).all()) credentials.set(info);
  const usage = createUsageIndex();
  const problems: string[] = [];
  for (const object of objects) {
    const info = userKindOfObject(object);
    if (!info) continue;
    // One malformed Pod must not keep a server from starting: it is reported, and protects nothing.
    const shape = objectShapeProblems(object, info);
    if (shape.length > 0) {
      problems.push(`${describeObject(object)}: ${shape.join('; ')}; not counted as a user of any credential`);
      continue;
    }
    const metadata = (object as { metadata?: { namespace?: string; name?: string } }).metadata;
    usage.set({
      namespace: metadata?.namespace ?? defaultNamespace,
      kind: info.kind,
      name: metadata?.name ?? '',
      ...objectUsage(object, info.kind),
    });
  }
  return { credentials, usage, problems, informerHealth: () => ({}), usageCurrent: () => true, stop: async () => {} };
}

/** The file view of a manifest file (or `-` for stdin). */
export async function loadFileView(path: string, defaultNamespace: string = fileDefaultNamespace): Promise<FileView> {
  return fileView(parseManifests(await readSource(path), path), defaultNamespace);
}
