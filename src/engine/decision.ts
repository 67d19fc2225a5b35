import type { Operation } from 'fast-json-patch';

/** A refusal a user can fix; carried as a value to the edge (webhook denial or CLI exit 1). */
export interface Denial {
  /** Short machine-readable reason, e.g. `CredentialNotFound`. */
  reason: string;
  /** Actionable message naming the credential, key or container; never a Secret value. */
  message: string;
}

/** The engine's answer for one object: what to patch, what to warn, or why to deny. */
export interface Decision {
  patch: Operation[];
  warnings: string[];
  denial?: Denial;
}
