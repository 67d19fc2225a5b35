import type { CredentialUsers, UsageIndex } from '../admission/store.js';

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

// Workloads first: "Deployment/web" tells the user what to edit; its pods follow from it.
const kindRank: Record<string, number> = {
  Deployment: 0, StatefulSet: 1, DaemonSet: 2, CronJob: 3, Job: 4, ReplicaSet: 5, Pod: 6,
};

function compareUsers(a: string, b: string): number {
  const [kindA = '', nameA = ''] = a.split('/');
  const [kindB = '', nameB = ''] = b.split('/');
  const rank = (kindRank[kindA] ?? 9) - (kindRank[kindB] ?? 9);
  return rank !== 0 ? rank : nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
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
    usersOf(namespace, credential): CredentialUsers {
      const users = [...(usersOf.get(credentialKey(namespace, credential)) ?? [])].sort(compareUsers);
      return { total: users.length, users };
    },
    sizes: () => ({ users: referencesOf.size, credentials: usersOf.size }),
  };
}
