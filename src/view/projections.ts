import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { keyDigests } from '../credentials/keyDigests.js';
import { objectUsage } from '../engine/objectUsage.js';
import { requestAnnotationsOf } from '../engine/serviceAccountRequest.js';
import type { UserKind } from '../contract/workloadKinds.js';

/**
 * What the informer caches hold instead of API objects. The projection runs before an object reaches
 * a cache, so a Secret's values and a Pod's spec are dropped on arrival and never kept.
 */
interface Identity {
  name: string;
  namespace: string;
  /** Lets the informer skip no-op updates and resume watches. */
  resourceVersion?: string;
}

export interface CredentialEntry extends KubernetesObject {
  metadata: Identity;
  info: CredentialInfo;
}

export interface UsageEntry extends KubernetesObject {
  metadata: Identity;
  /** Credential names the annotations of the object or its pod template ask for; often empty. */
  credentials: string[];
  /** Secret names its pod spec references by hand, beyond those; often empty. */
  direct: string[];
}

function identity(object: KubernetesObject): Identity {
  const metadata = object.metadata ?? {};
  const id: Identity = { name: metadata.name ?? '', namespace: metadata.namespace ?? '' };
  if (metadata.resourceVersion) id.resourceVersion = metadata.resourceVersion;
  return id;
}

/**
 * With the shared digest key, the entry also keeps each key's keyed digest (never the value): what
 * `credinject.dev/versions` and the rotation controller compare.
 */
export function credentialEntry(secret: V1Secret, digestKey?: Buffer): CredentialEntry {
  const info = describeCredential(secret);
  if (digestKey) info.digests = keyDigests(secret, digestKey);
  return { metadata: identity(secret), info };
}

/**
 * `kind` is passed in because list items come without one, and the pod template (where workloads
 * usually carry the annotation and always their spec) is found by kind.
 */
export function usageEntry(object: KubernetesObject, kind: UserKind): UsageEntry {
  return { metadata: identity(object), ...objectUsage(object, kind) };
}

export interface ServiceAccountEntry extends KubernetesObject {
  metadata: Identity;
  /** Its `credinject.dev/` request annotations; other annotations (cloud IAM roles, …) are dropped. */
  request: Record<string, string>;
}

export function serviceAccountEntry(serviceAccount: KubernetesObject): ServiceAccountEntry {
  return { metadata: identity(serviceAccount), request: requestAnnotationsOf(serviceAccount.metadata?.annotations) };
}
