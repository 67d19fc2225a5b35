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

/** credential → users, kept in step with the objects by `set`/`remove`; namespaces never mix. */
export function createUsageIndex(): MutableUsageIndex {
  // Forward map to know what to take back when an object changes or goes away.
  const referencesOf = new Map<string, References>();
  const usersOf = new Map<string, Set<string>>();
  const credentialKey = (namespace: string, credential: string) => `${namespace}\u0000${credential}`;

  function add(namespace: string, names: readonly string[], user: string): void {
    for (const credential of names) {
      const key = credentialKey(namespace, credential);
      let users = usersOf.get(key);
      if (!users) usersOf.set(key, (users = new Set()));
      users.add(user);
    }
  }

  function take(namespace: string, names: readonly string[], user: string): void {
    for (const credential of names) {
      const key = credentialKey(namespace, credential);
      const users = usersOf.get(key);
      users?.delete(user);
      if (users?.size === 0) usersOf.delete(key);
    }
  }

  function remove(namespace: string, kind: string, name: string): void {
    const objectKey = credentialKey(namespace, `${kind}/${name}`);
    const previous = referencesOf.get(objectKey);
    if (!previous) return;
    referencesOf.delete(objectKey);
    take(namespace, previous.credentials, previous.user);
    if (previous.direct) take(namespace, previous.direct.names, previous.direct.user);
  }

  return {
    set(record) {
      remove(record.namespace, record.kind, record.name);
      const credentials = unique(record.credentials);
      // A name both asked for and referenced by hand is one use, named the plain way.
      const direct = record.direct && record.direct.length > 0 ? unique(record.direct).filter((n) => !credentials.includes(n)) : [];
      if (credentials.length === 0 && direct.length === 0) return;
      const references: References = { user: `${record.kind}/${record.name}`, credentials };
      if (direct.length > 0) references.direct = { user: directUser(record.kind, record.name), names: direct };
      referencesOf.set(credentialKey(record.namespace, references.user), references);
      add(record.namespace, credentials, references.user);
      if (references.direct) add(record.namespace, direct, references.direct.user);
    },
    remove,
    usersOf(namespace, credential, limit = Infinity): CredentialUsers {
      const users = usersOf.get(credentialKey(namespace, credential));
      if (!users) return { total: 0, users: [] };
      const named = limit >= users.size ? [...users].sort(compareUsers) : firstUsers(users, limit);
      return { total: users.size, users: named };
    },
    sizes: () => ({ users: referencesOf.size, credentials: usersOf.size }),
  };
}

/** The names once each; the array itself when it already is (the projections hand deduplicated ones). */
function unique(names: readonly string[]): readonly string[] {
  return new Set(names).size === names.length ? names : [...new Set(names)];
}
