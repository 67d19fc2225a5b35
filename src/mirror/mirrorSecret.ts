import { createHash } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';

/** Annotations of a cluster credential that its mirrors carry: what injection reads from a Secret. */
export const copiedAnnotations = [keys.description, keys.mountPath, keys.envPrefix] as const;

/**
 * A hash of a Secret's data (base64 as the API returns it), for diffing mirrors without keeping
 * their values. Values are hashed as decoded bytes, keys in sorted order with their lengths, so
 * neither base64 formatting nor key order changes it. Anyone who can read the hash can read the
 * Secret it sits on, so it reveals nothing new.
 */
export function mirrorDataHash(data: Readonly<Record<string, string>> | undefined): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data ?? {}).sort()) {
    const bytes = Buffer.from(String(data![key]).replace(/\s+/g, ''), 'base64');
    hash.update(`${key}\u0000${bytes.length}\u0000`).update(bytes);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The labels and annotations a mirror of this source must carry (its owned metadata). */
export interface MirrorMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SourceIdentity {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** `<namespace>/<name>`: the value of `credinject.dev/mirrored-from` on a mirror of `source`. */
export const mirroredFromValue = (source: { namespace: string; name: string }): string => `${source.namespace}/${source.name}`;

/**
 * What a mirror of `source` carries: the type label and the mirror label, the source's reference and
 * data hash, and the annotations injection reads. Never the scope or the selector (a mirror is an
 * ordinary namespaced credential) and never another tool's annotation (kubectl's
 * last-applied-configuration holds the values).
 */
export function mirrorMetadata(source: SourceIdentity, dataHash: string): MirrorMetadata {
  const annotations: Record<string, string> = { [keys.mirroredFrom]: mirroredFromValue(source), [keys.mirrorHash]: dataHash };
  for (const key of copiedAnnotations) {
    const value = source.annotations[key];
    if (value !== undefined) annotations[key] = value;
  }
  return {
    labels: { [keys.typeLabel]: source.labels[keys.typeLabel] ?? '', [keys.mirrorLabel]: 'true' },
    annotations,
  };
}

/**
 * Keys of a mirror that the controller owns: every `credinject.dev/` one except allow-delete, which
 * on a copy is an admin's break glass for our own DELETE and theirs to keep.
 */
export const isOwnedKey = (key: string): boolean => key.startsWith('credinject.dev/') && key !== keys.allowDelete;

/** The owned entries of a label or annotation map. */
export function ownedKeys(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => isOwnedKey(key)));
}

/** kubectl's record of an applied manifest holds the values as they were applied: never kept on a mirror. */
const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * True when metadata (a Secret's, or a projection's) marks a mirror of the credential of the same
 * name in `sourceNamespace`: the mirror label and a `mirrored-from` naming it. Only such Secrets
 * are ever changed or deleted.
 */
export function isMirrorOf(
  metadata: { name?: string | undefined; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined },
  sourceNamespace: string,
): boolean {
  return (
    metadata.labels?.[keys.mirrorLabel] === 'true' &&
    metadata.annotations?.[keys.mirroredFrom] === mirroredFromValue({ namespace: sourceNamespace, name: metadata.name ?? '' })
  );
}

/**
 * The mirror of `source` in `namespace`: same name, type and data, the mirror metadata. The body
 * holds the values, so it lives only as long as the write that sends it.
 */
export function mirrorSecret(source: V1Secret, namespace: string): V1Secret {
  const metadata = source.metadata ?? {};
  const identity: SourceIdentity = {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
  };
  const owned = mirrorMetadata(identity, mirrorDataHash(source.data));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: identity.name, namespace, labels: owned.labels, annotations: owned.annotations },
    type: source.type ?? 'Opaque',
    data: { ...source.data },
  };
}

/**
 * `current` brought to `desired` for a replace: owned labels and annotations and the data are
 * desired's; other tools' labels and annotations and an allow-delete stay (kubectl's
 * last-applied-configuration does not: it holds stale values); the resourceVersion stays, so the
 * replace is a compare-and-swap. managedFields are left to the server.
 */
export function updatedMirror(current: V1Secret, desired: V1Secret): V1Secret {
  const keep = (map: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(map ?? {}).filter(([key]) => !isOwnedKey(key) && key !== lastApplied));
  const { managedFields: _managedFields, ...metadata } = current.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      ...metadata,
      labels: { ...keep(metadata.labels), ...desired.metadata?.labels },
      annotations: { ...keep(metadata.annotations), ...desired.metadata?.annotations },
    },
    type: current.type ?? 'Opaque',
    data: { ...desired.data },
  };
}
