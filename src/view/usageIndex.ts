import type { CredentialUsers, UsageIndex } from '../admission/store.js';
import { userRank } from '../contract/workloadKinds.js';

/** One object that references credentials, reduced to what deletion protection needs. */
export interface UsageRecord {
  namespace: string;
  kind: string;
  name: string;
  /** Credential names the object references; empty means "uses none" and removes it. */
  credentials: string[];
}

export interface MutableUsageIndex extends UsageIndex {
  /** Records what an object references now, replacing what it referenced before. */
  set(record: UsageRecord): void;
  remove(namespace: string, kind: string, name: string): void;
  /** Objects that reference at least one credential, and distinct credentials referenced. */
  sizes(): { users: number; credentials: number };
}

function compareUsers(a: string, b: string): number {
  const rank = userRank(a) - userRank(b);
  return rank !== 0 ? rank : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `limit` most telling users in order, without sorting them all: deletion checks name five
 * users of credentials that can have thousands. One pass keeping a small sorted array.
 */
function firstUsers(users: Iterable<string>, limit: number): string[] {
  const chosen: string[] = [];
  for (const user of users) {
    if (chosen.length === limit && compareUsers(user, chosen[limit - 1]!) >= 0) continue;
    let at = chosen.length === limit ? limit - 1 : chosen.length;
    while (at > 0 && compareUsers(user, chosen[at - 1]!) < 0) {
      if (at < limit) chosen[at] = chosen[at - 1]!;
      at--;
    }
    chosen[at] = user;
  }
  return chosen;
}

/** credential → users, kept in step with the objects by `set`/`remove`; namespaces never mix. */
export function createUsageIndex(): MutableUsageIndex {
  // Forward map to know what to take back when an object changes or goes away.
  const referencesOf = new Map<string, { user: string; credentials: string[] }>();
  const usersOf = new Map<string, Set<string>>();
  const credentialKey = (namespace: string, credential: string) => `${namespace}\u0000${credential}`;

  function remove(namespace: string, kind: string, name: string): void {
    const objectKey = credentialKey(namespace, `${kind}/${name}`);
    const previous = referencesOf.get(objectKey);
    if (!previous) return;
    referencesOf.delete(objectKey);
    for (const credential of previous.credentials) {
      const key = credentialKey(namespace, credential);
      const users = usersOf.get(key);
      users?.delete(previous.user);
      if (users?.size === 0) usersOf.delete(key);
    }
  }

  return {
    set(record) {
      remove(record.namespace, record.kind, record.name);
      const credentials = [...new Set(record.credentials)];
      if (credentials.length === 0) return;
      const user = `${record.kind}/${record.name}`;
      referencesOf.set(credentialKey(record.namespace, user), { user, credentials });
      for (const credential of credentials) {
        const key = credentialKey(record.namespace, credential);
        let users = usersOf.get(key);
        if (!users) usersOf.set(key, (users = new Set()));
        users.add(user);
      }
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
