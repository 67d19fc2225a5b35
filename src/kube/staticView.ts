import { readFile } from 'node:fs/promises';
import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { isWorkload } from '../admission/kinds.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { keys } from '../engine/annotationKeys.js';
import { referencedCredentials } from '../engine/referencedCredentials.js';
import { createCredentialStore } from './credentialStore.js';
import { createUsageIndex } from './usageIndex.js';
import type { KubeView } from './view.js';

function isObject(value: unknown): value is KubernetesObject & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Documents of a manifest file, with `kind: List` flattened (what `kubectl get -o yaml` writes). */
export function manifestObjects(text: string): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value: unknown = doc.toJS();
    if (!isObject(value)) continue;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      objects.push(...value.items.filter(isObject));
    } else {
      objects.push(value);
    }
  }
  return objects;
}

/**
 * A view served from a file instead of a cluster (local dev, benchmarks): its credential Secrets,
 * and, when the file also holds Pods or workloads, their references for deletion protection.
 * Values are dropped here exactly as the informers drop them.
 */
export function staticViewFromObjects(objects: KubernetesObject[]): KubeView {
  const credentials = createCredentialStore();
  const usage = createUsageIndex();
  for (const object of objects) {
    const group = (object.apiVersion ?? '').includes('/') ? object.apiVersion!.split('/')[0]! : '';
    const kind = object.kind ?? '';
    const namespace = object.metadata?.namespace ?? 'default';
    const name = object.metadata?.name ?? '';
    if (kind === 'Secret' && group === '' && object.metadata?.labels?.[keys.typeLabel] !== undefined) {
      const secret = object as V1Secret;
      credentials.set(describeCredential({ ...secret, metadata: { ...secret.metadata, namespace } }));
    } else if ((kind === 'Pod' && group === '') || isWorkload({ group, kind })) {
      usage.set({ namespace, kind, name, credentials: referencedCredentials(object) });
    }
  }
  return { credentials, usage, syncState: () => ({}), stop: async () => {} };
}

export async function loadStaticView(path: string): Promise<KubeView> {
  return staticViewFromObjects(manifestObjects(await readFile(path, 'utf8')));
}
