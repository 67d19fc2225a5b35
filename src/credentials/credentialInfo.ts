/**
 * What the engine knows about a credential Secret when it plans an injection: metadata and key
 * names only. Values never enter this shape, so the webhook's cache cannot leak them.
 */
export interface CredentialInfo {
  name: string;
  namespace: string;
  /** Value of the `credinject.dev/type` label; may be an unknown type (then `problems` says so). */
  type: string;
  /** The Secret's own `type` field, e.g. `kubernetes.io/dockerconfigjson`. */
  secretType: string;
  /** Data keys present in `data` and `stringData`, sorted. */
  keys: string[];
  labels: Record<string, string>;
  /** The Secret's `credinject.dev/` annotations only: other tools' annotations can hold the values. */
  annotations: Record<string, string>;
  /** Validation problems found when the Secret was read; empty when valid. Never holds values. */
  problems: CredentialProblem[];
  /**
   * Per data key, a keyed HMAC-SHA256 of its value (credentials/keyDigests.ts), computed on arrival
   * when the server holds the shared digest key; absent offline. Never a plain hash of a value.
   */
  digests?: Readonly<Record<string, string>>;
  /** ISO timestamp of creation, when known (for `credinject list`). */
  createdAt?: string;
  /**
   * ISO time of the earliest expiry the data carries (certificate notAfter, JWT `exp`), read when
   * the Secret arrives; absent when it carries none. `expiryKey` names the key it is in.
   */
  expiresAt?: string;
  expiryKey?: string;
  /** Field manager of the Secret's first write (`kubectl-create`, `credinject`, `helm`), from managedFields. */
  createdBy?: string;
}

/** One broken rule of a credential's data contract. `message` never contains a Secret value. */
export interface CredentialProblem {
  /** Data key the problem is about, or undefined for the Secret as a whole. */
  key?: string;
  /** Short machine-readable rule name, e.g. `missing-key`, `conflict`, `not-pem`. */
  rule: string;
  /** Human sentence: what is wrong and how to fix it. */
  message: string;
}

/** Where the engine looks credentials up: the pod's namespace first, then cluster-scoped ones. */
export interface CredentialLookup {
  get(namespace: string, name: string): CredentialInfo | undefined;
}
