import type { V1Secret } from '@kubernetes/client-node';
import { userKindOfObject } from '../contract/workloadKinds.js';
import { isCredentialSecret, staticCredentials } from '../credentials/staticCredentials.js';
import { objectUsage } from '../engine/objectUsage.js';
import { parseManifests, readSource } from '../manifests/manifests.js';
import { createCredentialStore } from './credentialStore.js';
import { createUsageIndex } from './usageIndex.js';
import type { KubeView } from './view.js';

/** Where objects of a file that name no namespace belong, as `kubectl apply` would put them. */
export const fileDefaultNamespace = 'default';

/**
 * A view served from manifests instead of a cluster (`inject --credentials`, `serve
 * --credentials-file`, benchmarks): their credential Secrets, and, when the file also holds Pods or
 * workloads, their references for deletion protection. Values are dropped here exactly as the
 * informers drop them; objects that name no namespace belong to `defaultNamespace`.
 */
export function fileView(objects: readonly unknown[], defaultNamespace: string = fileDefaultNamespace): KubeView {
  const credentials = createCredentialStore();
  for (const info of staticCredentials(objects.filter(isCredentialSecret) as V1Secret[], defaultNamespace).all()) credentials.set(info);
  const usage = createUsageIndex();
  for (const object of objects) {
    const info = userKindOfObject(object);
    if (!info) continue;
    const metadata = (object as { metadata?: { namespace?: string; name?: string } }).metadata;
    usage.set({
      namespace: metadata?.namespace ?? defaultNamespace,
      kind: info.kind,
      name: metadata?.name ?? '',
      ...objectUsage(object, info.kind),
    });
  }
  return { credentials, usage, syncState: () => ({}), stop: async () => {} };
}

/** The file view of a manifest file (or `-` for stdin). */
export async function loadFileView(path: string, defaultNamespace: string = fileDefaultNamespace): Promise<KubeView> {
  return fileView(parseManifests(await readSource(path), path), defaultNamespace);
}
