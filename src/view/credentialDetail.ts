import { keys } from '../contract/keys.js';
import { humanDuration } from '../contract/humanDuration.js';
import type { UserKind } from '../contract/workloadKinds.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { expiryState, expiryStatus } from '../credentials/expiry.js';
import { credentialContribution, type Contribution } from '../engine/credentialContribution.js';
import { parseInjectionRequest } from '../engine/injectionRequest.js';
import { objectUsage } from '../engine/objectUsage.js';
import { effectiveRequest } from '../engine/workloadAnnotations.js';
import type { UserStaleness } from './staleness.js';

/** What a credential puts into a container: env names, files with modes, rendered files, a pull secret. */
export interface Injection {
  env: string[];
  /** Directory of its files, Secret or rendered; absent when it has none. */
  mountPath?: string;
  files: { key: string; mode: string }[];
  rendered: { format: string; file: string }[];
  pullSecret: boolean;
}

export type ConsumptionKind = 'env' | 'files' | 'rendered' | 'pull secret' | 'direct reference';

/** One Pod or workload that uses the credential, and how. */
export interface CredentialUser {
  kind: UserKind;
  name: string;
  /** Through the annotations (injected), or its spec names the Secret by hand. */
  via: 'annotation' | 'direct reference';
  how: ConsumptionKind[];
  /** What its annotations make of the credential (its env mapping, key subset, renders); absent for direct references. */
  injection?: Injection;
  /** Whether it runs the current version (view/staleness.ts), without the kind and name said above. */
  version?: Omit<UserStaleness, 'kind' | 'name'>;
}

/** A namespace a cluster credential is mirrored into, and whether its copy holds the source's data. */
export interface MirrorCopy {
  namespace: string;
  state: 'up to date' | 'outdated' | 'pending' | 'conflict';
}

/** `credinject describe` and the dashboard's detail view: everything about one credential, never a value. */
export interface CredentialDetail {
  name: string;
  namespace: string;
  type: string;
  scope: string;
  status: string;
  problems: { key?: string; message: string }[];
  expiresAt?: string;
  expiryKey?: string;
  /** `expired 2d ago`, `in 300d`; absent without an expiry. */
  expiry?: string;
  description?: string;
  createdAt?: string;
  createdBy?: string;
  keys: string[];
  /** What a pod that only names it gets (the Secret's own annotations applied). */
  injects?: Injection;
  users: CredentialUser[];
  /** For a cluster credential: its selector and every namespace it reaches. */
  mirrors?: { selector: string; copies: MirrorCopy[] };
  /** Users running an older version of a key they take as env; null when none is but some cannot be told. */
  stale?: number | null;
  /** Why staleness is unknown: the digest key Secret could not be read (names the Secret and the RBAC rule). */
  stalenessNotice?: string;
  /** Where `how` comes from: the engine run on each user's annotations; direct references are not broken down. */
  consumptionSource: string;
}

const octal = (mode: number): string => `0${mode.toString(8)}`;

function injectionOf(contribution: Contribution): Injection {
  const volume = contribution.fileVolume?.secret;
  const defaultMode = volume?.defaultMode ?? 0o444;
  const items = volume?.items;
  const files = volume
    ? (items ?? contribution.credential.keys.map((key): { key: string; mode?: number } => ({ key }))).map((item) => ({ key: item.key, mode: octal(item.mode ?? defaultMode) }))
    : [];
  const rendered = (contribution.rendered?.outputs ?? []).map((output) => ({ format: output.format, file: output.fileName }));
  return {
    env: contribution.env.map((env) => env.name),
    ...(files.length > 0 || rendered.length > 0 ? { mountPath: contribution.mountPath } : {}),
    files,
    rendered,
    pullSecret: contribution.pullSecret !== undefined,
  };
}

/** What the credential gives a pod whose request annotations are these; undefined when the engine would refuse. */
export function injectionFor(credential: CredentialInfo, annotations: Readonly<Record<string, string>>): Injection | undefined {
  const { request } = parseInjectionRequest(annotations);
  if (!request || !request.credentials.includes(credential.name)) return undefined;
  const { contribution, findings } = credentialContribution(credential, request, undefined);
  return contribution && findings.length === 0 ? injectionOf(contribution) : undefined;
}

/** How a user consumes what the credential gives it (env, files, rendered, pull secret). */
export function kindsOf(injection: Injection | undefined): ConsumptionKind[] {
  if (!injection) return [];
  const kinds: ConsumptionKind[] = [];
  if (injection.env.length > 0) kinds.push('env');
  if (injection.files.length > 0) kinds.push('files');
  if (injection.rendered.length > 0) kinds.push('rendered');
  if (injection.pullSecret) kinds.push('pull secret');
  return kinds;
}

/** A Pod or workload as the detail reads it: the whole object, reduced here to names and annotations. */
export interface UserObject {
  kind: UserKind;
  object: unknown;
}

/** The users of a credential among these objects, with how each consumes it, most telling first. */
export function credentialUsers(credential: CredentialInfo, objects: readonly UserObject[]): CredentialUser[] {
  const users: CredentialUser[] = [];
  for (const { kind, object } of objects) {
    const name = (object as { metadata?: { name?: string } }).metadata?.name ?? '';
    const usage = objectUsage(object, kind);
    if (usage.credentials.includes(credential.name)) {
      const injection = injectionFor(credential, effectiveRequest(object, kind));
      users.push({ kind, name, via: 'annotation', how: kindsOf(injection), ...(injection ? { injection } : {}) });
    } else if (usage.direct.includes(credential.name)) {
      users.push({ kind, name, via: 'direct reference', how: ['direct reference'] });
    }
  }
  // Workloads before their pods: the Deployment is what a user edits.
  return users.sort((a, b) => Number(a.kind === 'Pod') - Number(b.kind === 'Pod') || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

function expiryText(expiresAt: string | undefined, now: Date): string | undefined {
  if (!expiresAt) return undefined;
  const state = expiryState(expiresAt, now, Number.POSITIVE_INFINITY);
  return state.state === 'expired' ? `expired ${humanDuration(state.since)} ago` : state.state === 'expiring' ? `in ${humanDuration(state.within)}` : undefined;
}

export interface DetailInput {
  credential: CredentialInfo;
  users: CredentialUser[];
  /** The copies of a cluster credential; absent for other credentials. */
  mirrors?: MirrorCopy[];
  /** Staleness of the users (view/staleness.ts), and why it is unknown when the digest key could not be read. */
  staleness?: { stale: number | null; users: readonly UserStaleness[]; notice?: string };
  now: Date;
}

/** Each user with its standing against the current data, matched by kind and name. */
function withVersions(users: CredentialUser[], standings: readonly UserStaleness[]): CredentialUser[] {
  const byId = new Map(standings.map(({ kind, name, ...standing }) => [`${kind}/${name}`, standing]));
  return users.map((user) => {
    const version = byId.get(`${user.kind}/${user.name}`);
    return version ? { ...user, version } : user;
  });
}

/** The detail of one credential: metadata, status and expiry, what it injects, who uses it and how. */
export function credentialDetail({ credential, users, mirrors, staleness, now }: DetailInput): CredentialDetail {
  const source = credential.annotations[keys.mirroredFrom];
  const scope = source ? `mirror of ${source}` : (credential.labels[keys.scopeLabel] ?? 'namespace');
  const injects = credential.problems.length === 0 ? injectionFor(credential, { [keys.inject]: credential.name }) : undefined;
  const expiry = expiryText(credential.expiresAt, now);
  const description = credential.annotations[keys.description];
  return {
    name: credential.name,
    namespace: credential.namespace,
    type: credential.type,
    scope,
    status: credential.problems[0]?.message ?? expiryStatus(credential.expiresAt, now) ?? 'valid',
    problems: credential.problems.map((p) => ({ ...(p.key ? { key: p.key } : {}), message: p.message })),
    ...(credential.expiresAt ? { expiresAt: credential.expiresAt, expiryKey: credential.expiryKey } : {}),
    ...(expiry ? { expiry } : {}),
    ...(description ? { description } : {}),
    ...(credential.createdAt ? { createdAt: credential.createdAt } : {}),
    ...(credential.createdBy ? { createdBy: credential.createdBy } : {}),
    keys: credential.keys,
    ...(injects ? { injects } : {}),
    users: staleness ? withVersions(users, staleness.users) : users,
    ...(mirrors ? { mirrors: { selector: credential.annotations[keys.namespaceSelector] ?? '', copies: mirrors } } : {}),
    ...(staleness ? { stale: staleness.stale } : {}),
    ...(staleness?.notice ? { stalenessNotice: staleness.notice } : {}),
    consumptionSource:
      "each user's annotations through the injection engine; a direct reference (secretKeyRef, volume, envFrom) is not broken down; versions from each pod's credinject.dev/versions against the current keyed digests over the keys it consumes",
  };
}
