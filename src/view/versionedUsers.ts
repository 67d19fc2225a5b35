import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { keys } from '../contract/keys.js';
import type { UserKind } from '../contract/workloadKinds.js';
import { consumptionOf, consumptionSource, parseVersions, type ConsumptionSource } from '../engine/consumption.js';
import { podTemplateOf } from '../engine/workloadAnnotations.js';
import type { VersionedUser } from './staleness.js';

/**
 * A Pod or workload reduced, on arrival, to what staleness needs: names, its controlling owner, our
 * two version annotations and its consumption source (request annotations and the keys its spec
 * references). No spec and no env value is kept, so the dashboard's informers can hold it.
 */
export interface VersionedSource extends Omit<VersionedUser, 'consumption'> {
  source: ConsumptionSource;
}

const annotation = (metadata: V1ObjectMeta | undefined, key: string): string | undefined => {
  const value = metadata?.annotations?.[key];
  return typeof value === 'string' ? value : undefined;
};

export function versionedSource(object: unknown, kind: UserKind): VersionedSource {
  const metadata = (object as { metadata?: V1ObjectMeta } | undefined)?.metadata;
  const owners: V1OwnerReference[] = Array.isArray(metadata?.ownerReferences) ? metadata.ownerReferences : [];
  const owner = owners.find((reference) => reference?.controller === true);
  const template = kind === 'Pod' ? undefined : podTemplateOf(object, kind)?.metadata;
  return {
    kind,
    namespace: metadata?.namespace ?? '',
    name: metadata?.name ?? '',
    ...(owner?.kind && owner.name ? { owner: { kind: owner.kind, name: owner.name } } : {}),
    versions: kind === 'Pod' ? parseVersions(annotation(metadata, keys.versions)) : {},
    restartedFor: parseVersions(annotation(template, keys.restartedFor)),
    source: consumptionSource(object, kind),
  };
}

/** The user with how it consumes each Secret now, against the credentials as they are. */
export function versionedUser({ source, ...user }: VersionedSource, lookup: CredentialLookup): VersionedUser {
  return { ...user, consumption: consumptionOf(source, user.namespace, lookup) };
}
