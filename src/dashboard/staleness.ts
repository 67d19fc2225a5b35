import { mirroredFromValue } from '../mirror/mirrorSecret.js';
import { credentialStaleness, type CredentialStaleness, type VersionedUser } from '../view/staleness.js';
import { versionedUser } from '../view/versionedUsers.js';
import type { DashboardSnapshot } from './snapshot.js';

/**
 * Where the users of every visible credential stand (view/staleness.ts, the model list and describe
 * use), by the credential's id. Consumption is worked out against the visible credentials.
 */
export function stalenessById(snapshot: DashboardSnapshot): Map<string, CredentialStaleness> {
  const byId = new Map(snapshot.credentials.map((credential) => [mirroredFromValue(credential.info), credential.info]));
  const lookup = { get: (namespace: string, name: string) => byId.get(`${namespace}/${name}`) };
  // Grouped by namespace once, so each credential reads only its own namespace's users.
  const users = new Map<string, VersionedUser[]>();
  for (const user of snapshot.users) {
    if (!user.versioned) continue;
    const group = users.get(user.namespace) ?? [];
    group.push(versionedUser(user.versioned, lookup));
    users.set(user.namespace, group);
  }
  return new Map(snapshot.credentials.map((credential) => [mirroredFromValue(credential.info), credentialStaleness(credential.info, users.get(credential.info.namespace) ?? [])]));
}
