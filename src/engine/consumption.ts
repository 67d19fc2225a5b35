import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { versionDigest } from '../credentials/keyDigests.js';
import { isRecord } from '../contract/json.js';
import { keys as annotationKeys } from '../contract/keys.js';
import type { UserKind } from '../contract/workloadKinds.js';
import { credentialContribution } from './credentialContribution.js';
import { credentialVolumeName } from './credentialVolumeName.js';
import { parseInjectionRequest } from './injectionRequest.js';
import { secretKeyReferences } from './secretReferences.js';
import { inheritedEntries, podServiceAccountName, type ServiceAccountLookup } from './serviceAccountRequest.js';
import { effectiveRequest, podTemplateOf } from './workloadAnnotations.js';

/**
 * How a container gets a Secret's data, which decides what a rotation needs: env is read once at
 * container start (a restart is needed), Secret files are refreshed by kubelet, agent-rendered files
 * by the agent, and a pull secret is read by the next pull.
 */
export type ConsumptionMode = 'env' | 'files' | 'rendered' | 'pullSecret';

/** How one object consumes one Secret: the data keys per mode, sorted, each once. */
export interface Consumption {
  env: string[];
  files: string[];
  rendered: string[];
  pullSecret: boolean;
}

/** Secret name → how the object consumes it; names sorted. */
export type ConsumptionMap = Record<string, Consumption>;

type Builder = Map<string, { env: Set<string>; files: Set<string>; rendered: Set<string>; pullSecret: boolean }>;

function entry(builder: Builder, name: string) {
  let found = builder.get(name);
  if (!found) builder.set(name, (found = { env: new Set(), files: new Set(), rendered: new Set(), pullSecret: false }));
  return found;
}

function finish(builder: Builder): ConsumptionMap {
  const sorted = (set: Set<string>) => [...set].sort();
  const map: ConsumptionMap = {};
  for (const name of [...builder.keys()].sort()) {
    const { env, files, rendered, pullSecret } = builder.get(name)!;
    map[name] = { env: sorted(env), files: sorted(files), rendered: sorted(rendered), pullSecret };
  }
  return map;
}

/** One reference of the spec by hand, reduced: the Secret, how, and the keys (undefined: every key). */
export interface ConsumedReference {
  name: string;
  mode: ConsumptionMode;
  keys?: string[];
}

/**
 * What consumption needs of an object, small enough for an informer to keep instead of the spec:
 * its request annotations (none for a Pod, whose spec is injected already), its fsGroup and what
 * its spec references by hand.
 */
export interface ConsumptionSource {
  request: Record<string, string>;
  /**
   * A workload's: the ServiceAccount its pods run as. Admission merges that ServiceAccount's request
   * annotations into each Pod (engine/serviceAccountRequest), so they count here too. Unset for a
   * Pod, whose injected spec already holds what it got.
   */
  serviceAccount?: string;
  fsGroup?: number;
  references: ConsumedReference[];
}

function volumeNames(object: unknown, kind: UserKind): Set<string> {
  const spec = podTemplateOf(object, kind)?.spec as unknown;
  const volumes = isRecord(spec) && Array.isArray(spec.volumes) ? spec.volumes : [];
  return new Set(volumes.flatMap((volume: unknown) => (isRecord(volume) && typeof volume.name === 'string' ? [volume.name] : [])));
}

/**
 * Reduces a Pod or workload to its consumption source. A Secret volume of a pod that also has the
 * credential's rendered volume is the agent's input: rendered, not files.
 */
export function consumptionSource(object: unknown, kind: UserKind): ConsumptionSource {
  const volumes = volumeNames(object, kind);
  const references = secretKeyReferences(object, kind).map(({ name, via, keys }): ConsumedReference => {
    const mode: ConsumptionMode =
      via === 'imagePullSecrets' ? 'pullSecret' : via === 'env' || via === 'envFrom' ? 'env' : volumes.has(credentialVolumeName(name, 'rendered')) ? 'rendered' : 'files';
    return keys === undefined ? { name, mode } : { name, mode, keys };
  });
  const source: ConsumptionSource = { request: kind === 'Pod' ? {} : effectiveRequest(object, kind), references };
  if (kind !== 'Pod') source.serviceAccount = podServiceAccountName(podTemplateOf(object, kind));
  const fsGroup = podTemplateOf(object, kind)?.spec?.securityContext?.fsGroup;
  if (typeof fsGroup === 'number') source.fsGroup = fsGroup;
  return source;
}

/**
 * A workload's request with its ServiceAccount's request annotations under it, key by key, its own
 * winning: what admission gives each of its pods (withServiceAccountRequest).
 */
export function requestWithServiceAccount(source: ConsumptionSource, namespace: string, serviceAccounts?: ServiceAccountLookup): Record<string, string> {
  const inherited = source.serviceAccount === undefined ? undefined : serviceAccounts?.requestOf(namespace, source.serviceAccount);
  if (!inherited) return source.request;
  return { ...source.request, ...Object.fromEntries(inheritedEntries(source.request, inherited)) };
}

/**
 * How an object consumes each Secret, from its source and the credentials as they are now: what
 * injection adds for each credential its annotations ask for (the engine's own contribution, so env
 * keys, files, rendering and pull secrets are what admission gives), plus what the spec references
 * by hand; a reference that reads every key reads the keys the credential has now. A credential not
 * in the lookup contributes nothing; one that would be denied still counts with the keys its type
 * maps, since its pods may run from before. With `serviceAccounts`, a workload's ServiceAccount's
 * request annotations count as admission merges them.
 */
export function consumptionOf(source: ConsumptionSource, namespace: string, lookup: CredentialLookup, serviceAccounts?: ServiceAccountLookup): ConsumptionMap {
  const builder: Builder = new Map();
  const request = parseInjectionRequest(requestWithServiceAccount(source, namespace, serviceAccounts)).request;
  for (const name of request?.credentials ?? []) {
    const info = lookup.get(namespace, name);
    const contribution = info && request ? credentialContribution(info, request, source.fsGroup).contribution : undefined;
    if (!info || !contribution) continue;
    const target = entry(builder, name);
    for (const env of contribution.env) {
      const key = env.valueFrom?.secretKeyRef?.name === name ? env.valueFrom.secretKeyRef.key : undefined;
      if (key !== undefined) target.env.add(key);
    }
    const items = contribution.fileVolume?.secret?.items?.map((item) => item.key);
    if (contribution.fileVolume) (items ?? info.keys).forEach((key) => target.files.add(key));
    if (contribution.rendered) info.keys.forEach((key) => target.rendered.add(key));
    if (contribution.pullSecret) target.pullSecret = true;
  }
  for (const reference of source.references) {
    const target = entry(builder, reference.name);
    const keys = reference.keys ?? lookup.get(namespace, reference.name)?.keys ?? [];
    const { mode } = reference;
    if (mode === 'pullSecret') target.pullSecret = true;
    else keys.forEach((key) => target[mode].add(key));
  }
  return finish(builder);
}

/**
 * How a stored Pod consumes each Secret. A Pod is already injected, so its spec is the whole truth:
 * the env it got, the volumes it mounts, its pull secrets. The webhook records versions over this
 * (on the injected Pod) and the stale count reads it back, so both see the same keys.
 */
export function podConsumption(pod: unknown, namespace: string, lookup: CredentialLookup): ConsumptionMap {
  return consumptionOf(consumptionSource(pod, 'Pod'), namespace, lookup);
}

/** How the pods of a workload (or a Pod) consume each Secret: `consumptionOf` its source. */
export function templateConsumption(object: unknown, kind: UserKind, namespace: string, lookup: CredentialLookup): ConsumptionMap {
  return consumptionOf(consumptionSource(object, kind), namespace, lookup);
}

/**
 * The keys a Pod's recorded version of a credential covers: those it takes as env when it takes any
 * (the only ones a rotation must restart for), else every key it consumes (informational: files and
 * rendered output are refreshed in place).
 */
export function versionKeys(consumption: Consumption): string[] {
  if (consumption.env.length > 0) return consumption.env;
  return [...new Set([...consumption.files, ...consumption.rendered])].sort();
}

/** `credinject.dev/versions` and `restarted-for` values: `<credential>=<digest>` entries, sorted, comma separated. */
export function formatVersions(versions: Readonly<Record<string, string>>): string {
  return Object.keys(versions)
    .sort()
    .map((name) => `${name}=${versions[name]}`)
    .join(',');
}

/** Reads a `formatVersions` value; malformed entries (hand edits) are skipped, never a throw. */
export function parseVersions(value: unknown): Record<string, string> {
  const versions: Record<string, string> = {};
  if (typeof value !== 'string') return versions;
  for (const item of value.split(',')) {
    const at = item.indexOf('=');
    const name = item.slice(0, at).trim();
    const digest = item.slice(at + 1).trim();
    if (at > 0 && name !== '' && digest !== '' && name !== '__proto__') versions[name] = digest;
  }
  return versions;
}

/** The version of a credential one consumer runs, over its version keys (every key for a pull secret alone). */
export function consumedVersion(use: Consumption, digests: Readonly<Record<string, string>>): string | undefined {
  const keys = versionKeys(use);
  if (keys.length > 0) return versionDigest(digests, keys);
  return use.pullSecret ? versionDigest(digests, Object.keys(digests)) : undefined;
}

/**
 * The versions a Pod runs: for every credential it consumes whose keyed digests the lookup holds,
 * the digest over its version keys. Empty offline (no digests), so the CLI writes no annotation.
 */
export function podVersions(consumption: ConsumptionMap, namespace: string, lookup: CredentialLookup): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const [name, use] of Object.entries(consumption)) {
    const digests = lookup.get(namespace, name)?.digests;
    const version = digests ? consumedVersion(use, digests) : undefined;
    if (version !== undefined) versions[name] = version;
  }
  return versions;
}

/** The annotation patch value for `credinject.dev/versions`, or undefined when there is nothing to record. */
export function versionsAnnotation(pod: unknown, namespace: string, lookup: CredentialLookup): { key: string; value: string } | undefined {
  const versions = podVersions(podConsumption(pod, namespace, lookup), namespace, lookup);
  return Object.keys(versions).length > 0 ? { key: annotationKeys.versions, value: formatVersions(versions) } : undefined;
}
