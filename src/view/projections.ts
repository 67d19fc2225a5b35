import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { keyDigests } from '../credentials/keyDigests.js';
import { objectUsage } from '../engine/objectUsage.js';
import { requestAnnotationsOf } from '../engine/serviceAccountRequest.js';
import type { UserKind } from '../contract/workloadKinds.js';
import { createInterner, internAll } from './intern.js';

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

/** Shared by every informer: a namespace is one string for all the kinds that live in it. */
const intern = createInterner();

/** One literal per shape: adding `resourceVersion` afterwards would move it out of the object. */
function identity(object: KubernetesObject, name = object.metadata?.name ?? ''): Identity {
  const metadata = object.metadata ?? {};
  const namespace = intern(metadata.namespace ?? '');
  return metadata.resourceVersion ? { name, namespace, resourceVersion: metadata.resourceVersion } : { name, namespace };
}

/**
 * With the shared digest key, the entry also keeps each key's keyed digest (never the value): what
 * `credinject.dev/versions` and the rotation controller compare.
 */
export function credentialEntry(secret: V1Secret, digestKey?: Buffer): CredentialEntry {
  const info = describeCredential(secret);
  if (digestKey) info.digests = keyDigests(secret, digestKey);
  // Users name the same Secrets and keys: one copy of each name, the cache's and the users'.
  info.name = intern(info.name);
  info.namespace = intern(info.namespace);
  info.type = intern(info.type);
  info.secretType = intern(info.secretType);
  internAll(info.keys, intern);
  return { metadata: identity(secret, info.name), info };
}

/**
 * `kind` is passed in because list items come without one, and the pod template (where workloads
 * usually carry the annotation and always their spec) is found by kind.
 */
export function usageEntry(object: KubernetesObject, kind: UserKind): UsageEntry {
  const { credentials, direct } = objectUsage(object, kind);
  return { metadata: identity(object), credentials: internAll(credentials, intern), direct: internAll(direct, intern) };
}

export interface ServiceAccountEntry extends KubernetesObject {
  metadata: Identity;
  /** Its `credinject.dev/` request annotations; other annotations (cloud IAM roles, …) are dropped. */
  request: Record<string, string>;
}

export function serviceAccountEntry(serviceAccount: KubernetesObject): ServiceAccountEntry {
  return { metadata: identity(serviceAccount), request: requestAnnotationsOf(serviceAccount.metadata?.annotations) };
}
