import type { CredentialUsers, UsageIndex } from '../admission/store.js';
import { userRank } from '../contract/workloadKinds.js';

/** One object that references credentials, reduced to what deletion protection needs. */
export interface UsageRecord {
  namespace: string;
  kind: string;
  name: string;
  /** Credential names the object asks for through annotations. */
  credentials: string[];
  /**
   * Secret names its pod spec references by hand (not named by the annotations); such a user is
   * named `Kind/name (direct reference)`. With `credentials` empty too, the object is forgotten.
   */
  direct?: string[];
}

/** How a user that references a credential by hand is named in a denial. */
export function directUser(kind: string, name: string): string {
  return `${kind}/${name} (direct reference)`;
}

export interface MutableUsageIndex extends UsageIndex {
  /** Records what an object references now, replacing what it referenced before. */
  set(record: UsageRecord): void;
  remove(namespace: string, kind: string, name: string): void;
  /**
   * Objects that reference at least one Secret (through annotations or by hand), and distinct
   * Secrets referenced (credentials, and Secrets referenced by hand that may become credentials).
   */
  sizes(): { users: number; credentials: number };
}

function compareUsers(a: string, b: string): number {
  const rank = userRank(a) - userRank(b);
  return rank !== 0 ? rank : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `limit` most telling users in order, without sorting them all: deletion checks name five
 * users of credentials that can have thousands. One pass keeping a small sorted array; each user's
 * rank is worked out once, and most users lose to the last chosen one on rank alone.
 */
function firstUsers(users: Iterable<string>, limit: number): string[] {
  const chosen: string[] = [];
  const ranks: number[] = [];
  const before = (rank: number, user: string, at: number): boolean =>
    rank !== ranks[at]! ? rank < ranks[at]! : user < chosen[at]!;
  for (const user of users) {
    const rank = userRank(user);
    if (chosen.length === limit && !before(rank, user, limit - 1)) continue;
    let at = chosen.length === limit ? limit - 1 : chosen.length;
    while (at > 0 && before(rank, user, at - 1)) {
      if (at < limit) {
        chosen[at] = chosen[at - 1]!;
        ranks[at] = ranks[at - 1]!;
      }
      at--;
    }
    chosen[at] = user;
    ranks[at] = rank;
  }
  return chosen;
}

interface References {
  user: string;
  credentials: readonly string[];
  /** Named `directUser`; absent when the object references nothing by hand. */
  direct?: { user: string; names: readonly string[] };
}

/** The inner map of `outer` under `key`, made when missing. */
function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = outer.get(key);
  if (!map) outer.set(key, (map = new Map()));
  return map;
}

/**
 * credential → users, kept in step with the objects by `set`/`remove`; namespaces never mix. Maps
 * by namespace, then name: no `namespace + name` key string is built per object or per lookup.
 */
export function createUsageIndex(): MutableUsageIndex {
  // Forward map (namespace → `Kind/name`) to know what to take back when an object changes or goes away.
  const referencesOf = new Map<string, Map<string, References>>();
  // namespace → credential → users.
  const usersOf = new Map<string, Map<string, Set<string>>>();
  let objectCount = 0;
  let credentialCount = 0;

  function add(namespace: string, names: readonly string[], user: string): void {
    const credentials = inner(usersOf, namespace);
    for (const credential of names) {
      let users = credentials.get(credential);
      if (!users) {
        credentials.set(credential, (users = new Set()));
        credentialCount++;
      }
      users.add(user);
    }
  }

  function take(namespace: string, names: readonly string[], user: string): void {
    const credentials = usersOf.get(namespace);
    if (!credentials) return;
    for (const credential of names) {
      const users = credentials.get(credential);
      if (!users?.delete(user) || users.size > 0) continue;
      credentials.delete(credential);
      credentialCount--;
    }
    if (credentials.size === 0) usersOf.delete(namespace);
  }

  function remove(namespace: string, kind: string, name: string): void {
    const objects = referencesOf.get(namespace);
    const user = `${kind}/${name}`;
    const previous = objects?.get(user);
    if (!objects || !previous) return;
    objects.delete(user);
    objectCount--;
    if (objects.size === 0) referencesOf.delete(namespace);
    take(namespace, previous.credentials, previous.user);
    if (previous.direct) take(namespace, previous.direct.names, previous.direct.user);
  }

  return {
    set(record) {
      remove(record.namespace, record.kind, record.name);
      const credentials = unique(record.credentials);
      // A name both asked for and referenced by hand is one use, named the plain way.
      const direct = record.direct && record.direct.length > 0 ? without(unique(record.direct), credentials) : [];
      if (credentials.length === 0 && direct.length === 0) return;
      const references: References = { user: `${record.kind}/${record.name}`, credentials };
      if (direct.length > 0) references.direct = { user: directUser(record.kind, record.name), names: direct };
      inner(referencesOf, record.namespace).set(references.user, references);
      objectCount++;
      add(record.namespace, credentials, references.user);
      if (references.direct) add(record.namespace, direct, references.direct.user);
    },
    remove,
    usersOf(namespace, credential, limit = Infinity): CredentialUsers {
      const users = usersOf.get(namespace)?.get(credential);
      if (!users) return { total: 0, users: [] };
      const named = limit >= users.size ? [...users].sort(compareUsers) : firstUsers(users, limit);
      return { total: users.size, users: named };
    },
    sizes: () => ({ users: objectCount, credentials: credentialCount }),
  };
}

/** `names` less those in `exclude`; the array itself when none is (the index keeps the informer's array, not a copy). */
function without(names: readonly string[], exclude: readonly string[]): readonly string[] {
  return names.some((name) => exclude.includes(name)) ? names.filter((name) => !exclude.includes(name)) : names;
}

/** The names once each; the array itself when it already is (the projections hand deduplicated ones). */
function unique(names: readonly string[]): readonly string[] {
  return new Set(names).size === names.length ? names : [...new Set(names)];
}
