import { createHash, createHmac } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';

/** Annotations of a cluster credential that its mirrors carry: what injection reads from a Secret. */
export const copiedAnnotations = [keys.description, keys.mountPath, keys.envPrefix] as const;

function hashData(hash: { update(data: string | Buffer): unknown }, data: Readonly<Record<string, string>> | undefined): void {
  for (const key of Object.keys(data ?? {}).sort()) {
    const bytes = Buffer.from(String(data![key]).replace(/\s+/g, ''), 'base64');
    hash.update(`${key}\u0000${bytes.length}\u0000`);
    hash.update(bytes);
  }
}

/**
 * An unkeyed hash of a Secret's data (base64 as the API returns it), for comparing two Secrets'
 * data inside one process (describe, the dashboard). Never written anywhere: a plain SHA-256 of a
 * short password can be brute-forced. Values are hashed as decoded bytes, keys in sorted order with
 * their lengths, so neither base64 formatting nor key order changes it. Mirrors written before
 * the hash was keyed carry this one (prefix `sha256:`).
 */
export function mirrorDataHash(data: Readonly<Record<string, string>> | undefined): string {
  const hash = createHash('sha256');
  hashData(hash, data);
  return `sha256:${hash.digest('hex')}`;
}

/** The prefix of the keyed `credinject.dev/mirror-hash`; the old unkeyed one was `sha256:`. */
export const keyedMirrorHashPrefix = 'hmac-sha256:';

/**
 * The `credinject.dev/mirror-hash` of a mirror: HMAC-SHA256 of the data under the digest key every
 * replica shares (server/digestKey, the one rotation uses), so replicas and restarts agree and the
 * annotation says nothing about a short value. The credential's name is mixed in, so two
 * credentials holding the same data do not show equal hashes; a source and its mirrors share the
 * name, so theirs agree. Same normalisation as mirrorDataHash.
 */
export function keyedMirrorHash(name: string, data: Readonly<Record<string, string>> | undefined, digestKey: Buffer): string {
  const hmac = createHmac('sha256', digestKey).update(`credinject/mirror/v1\u0000${name}\u0000`);
  hashData(hmac, data);
  return `${keyedMirrorHashPrefix}${hmac.digest('hex')}`;
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
 * The mirror of `source` in `namespace`: same name, type and data, the mirror metadata with the
 * keyed hash of the data. The body holds the values, so it lives only as long as the write that
 * sends it.
 */
export function mirrorSecret(source: V1Secret, namespace: string, digestKey: Buffer): V1Secret {
  const metadata = source.metadata ?? {};
  const identity: SourceIdentity = {
    namespace: metadata.namespace ?? '',
    name: metadata.name ?? '',
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
  };
  const owned = mirrorMetadata(identity, keyedMirrorHash(identity.name, source.data, digestKey));
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

/**
 * `current` with only its `credinject.dev/mirror-hash` set to `hash`: for a mirror whose data is
 * already the source's but whose hash annotation is not (written before the hash was keyed, or
 * under a digest key since replaced). Data, type and every other field are current's as read, and
 * the resourceVersion stays, so the replace is a compare-and-swap that changes one annotation.
 */
export function rehashedMirror(current: V1Secret, hash: string): V1Secret {
  const { managedFields: _managedFields, ...metadata } = current.metadata ?? {};
  return { ...current, metadata: { ...metadata, annotations: { ...metadata.annotations, [keys.mirrorHash]: hash } } };
}
