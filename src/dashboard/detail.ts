import { keys } from '../contract/keys.js';
import { mirroredFromValue } from '../mirror/mirrorSecret.js';
import type { DashboardCredential } from './dashboardCredential.js';
import { injectionFor, kindsOf, type ConsumptionKind, type Injection } from '../view/credentialDetail.js';
import { copiesBySource, sourceOf, type Propagation } from './propagation.js';
import { credentialRow, propagations, type CredentialRow } from './rows.js';
import type { DashboardSnapshot, UserRecord } from './snapshot.js';
import { stalenessById } from './staleness.js';
import { stalenessText, type CredentialStaleness, type UserStaleness } from '../view/staleness.js';

/** How a user references a credential: through `credinject.dev/inject` (or render), or by hand in its spec. */
export type Consumption = 'annotation' | 'direct reference';

/** A link from a credential to a user: the user's own detail is at `id`. */
export interface UserLink {
  /** `<namespace>/<Kind>/<name>`. */
  id: string;
  namespace: string;
  kind: string;
  name: string;
  via: Consumption;
  /** What it takes (env, files, rendered, pull secret), from its annotations through the engine. */
  how: ConsumptionKind[];
  /** Whether it runs the current version (view/staleness.ts): state, changed key names, and the sentence. */
  version?: Omit<UserStaleness, 'kind' | 'name'> & { text: string };
}

/** The detail view of one credential: all `describe` tells, never a value. */
export interface CredentialDetail {
  row: CredentialRow;
  secretType: string;
  keys: string[];
  problems: { key?: string; message: string }[];
  /** Its `credinject.dev/` settings, without the mirror's bookkeeping (the data digest stays out). */
  settings: { key: string; value: string }[];
  /** What a pod that only names it gets (describe's model). */
  injects?: Injection;
  users: UserLink[];
  /** For a cluster credential: where its copies stand. */
  propagation?: Propagation;
  /** For a copy: its source, and whether it holds the source's data (null: the source is not visible). */
  mirrorOf?: { id: string; current: boolean | null };
  expiresAt?: string;
}

/** The detail view of a user: the credentials it references, linked when they are visible. */
export interface UserDetail {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  credentials: { name: string; id?: string; via: Consumption }[];
}

export const userId = (user: Pick<UserRecord, 'namespace' | 'kind' | 'name'>): string => `${user.namespace}/${user.kind}/${user.name}`;

/** Bookkeeping of mirrors: not a setting, and the hash is a digest of the values. */
const hiddenSettings: ReadonlySet<string> = new Set([keys.mirrorHash, keys.mirroredFrom]);

/** A name both asked for and referenced by hand is one use through the annotation, as in the usage index. */
function consumptionOf(user: UserRecord, credential: string): Consumption | undefined {
  if (user.credentials.includes(credential)) return 'annotation';
  return user.direct.includes(credential) ? 'direct reference' : undefined;
}

const compareLinks = (a: UserLink, b: UserLink): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function usersOf(credential: DashboardCredential, snapshot: DashboardSnapshot, staleness: CredentialStaleness | undefined): UserLink[] {
  const { namespace, name } = credential.info;
  const standing = new Map((staleness?.users ?? []).map((user) => [`${user.kind}/${user.name}`, user]));
  return snapshot.users
    .filter((user) => user.namespace === namespace)
    .flatMap((user) => {
      const via = consumptionOf(user, name);
      if (!via) return [];
      const how: ConsumptionKind[] = via === 'annotation' ? kindsOf(injectionFor(credential.info, user.request)) : ['direct reference'];
      const link: UserLink = { id: userId(user), namespace, kind: user.kind, name: user.name, via, how };
      const found = standing.get(`${user.kind}/${user.name}`);
      if (found) {
        const { kind: _kind, name: _name, ...version } = found;
        link.version = { ...version, text: stalenessText(found) };
      }
      return [link];
    })
    .sort(compareLinks);
}

function find(snapshot: DashboardSnapshot, id: string): DashboardCredential | undefined {
  return snapshot.credentials.find((credential) => mirroredFromValue(credential.info) === id);
}

/** The detail of the credential `<namespace>/<name>`, or undefined when it is not (or no longer) visible. */
export function credentialDetail(snapshot: DashboardSnapshot, id: string): CredentialDetail | undefined {
  const credential = find(snapshot, id);
  if (!credential) return undefined;
  const { info } = credential;
  const propagation = propagations(snapshot).get(id);
  const staleness = stalenessById(snapshot).get(id);
  const detail: CredentialDetail = {
    row: credentialRow(credential, snapshot, propagation, staleness),
    secretType: info.secretType,
    keys: [...info.keys],
    problems: info.problems.map((problem) => (problem.key === undefined ? { message: problem.message } : { key: problem.key, message: problem.message })),
    settings: Object.entries(info.annotations)
      .filter(([key]) => !hiddenSettings.has(key))
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    users: usersOf(credential, snapshot, staleness),
  };
  const injects = info.problems.length === 0 ? injectionFor(info, { [keys.inject]: info.name }) : undefined;
  if (injects) detail.injects = injects;
  if (propagation) detail.propagation = propagation;
  const source = sourceOf(credential);
  if (source !== undefined) {
    const original = copiesBySource([credential]).has(source) ? find(snapshot, source) : undefined;
    detail.mirrorOf = { id: source, current: original ? original.dataDigest === credential.dataDigest : null };
  }
  if (info.expiresAt) detail.expiresAt = info.expiresAt;
  return detail;
}

/** The detail of the user `<namespace>/<Kind>/<name>`, or undefined when it references no credential. */
export function userDetail(snapshot: DashboardSnapshot, id: string): UserDetail | undefined {
  const user = snapshot.users.find((candidate) => userId(candidate) === id);
  if (!user) return undefined;
  const visible = new Set(snapshot.credentials.filter((c) => c.info.namespace === user.namespace).map((c) => c.info.name));
  const names = [...new Set([...user.credentials, ...user.direct])].sort();
  return {
    id,
    namespace: user.namespace,
    kind: user.kind,
    name: user.name,
    credentials: names.flatMap((name): UserDetail['credentials'] => {
      const via = consumptionOf(user, name)!;
      // A Secret referenced by hand that is not a credential is not listed: the page is about credentials.
      if (!visible.has(name)) return via === 'annotation' ? [{ name, via }] : [];
      return [{ name, id: `${user.namespace}/${name}`, via }];
    }),
  };
}
