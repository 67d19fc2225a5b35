import type { AdmissionStore } from '../admission/store.js';
import type { InformerHealth } from '../kube/informerHealth.js';
import type { CredentialStore } from './credentialStore.js';
import type { ServiceAccountStore } from './serviceAccountStore.js';
import type { MutableUsageIndex } from './usageIndex.js';

/**
 * Everything the server needs from "the cluster": the admission store plus readiness and sizes.
 * Two implementations: informers against a cluster, and a file of Secrets (static mode).
 */
export interface KubeView extends AdmissionStore {
  credentials: CredentialStore;
  usage: MutableUsageIndex;
  serviceAccounts?: ServiceAccountStore;
  /** Per watched resource: listed? watching now (known good)? how long since it heard from the API? */
  informerHealth(): Record<string, InformerHealth>;
  stop(): Promise<void>;
}
