import { podServiceAccountName } from '../engine/serviceAccountRequest.js';
import type { AdmissionStore } from './store.js';

/** For a Pod under admission: the request annotations of the ServiceAccount it runs as, if any. */
export function inheritedRequest(pod: unknown, namespace: string, store: AdmissionStore): Readonly<Record<string, string>> | undefined {
  return store.serviceAccounts?.requestOf(namespace, podServiceAccountName(pod));
}
