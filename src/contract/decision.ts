import type { Operation } from 'fast-json-patch';

/** A refusal a user can fix; carried as a value to the edge (webhook denial or CLI exit 1). */
export interface Denial {
  /** Short machine-readable reason, e.g. `CredentialNotFound`. */
  reason: string;
  /** Actionable message naming the credential, key or container; never a Secret value. */
  message: string;
}

/** A credential that went into a Pod: what the webhook counts and records. */
export interface InjectedCredential {
  name: string;
  type: string;
}

/** The engine's answer for one object: what to patch, what to warn, or why to deny. */
export interface Decision {
  patch: Operation[];
  warnings: string[];
  denial?: Denial;
  /**
   * Credentials the engine injected into a Pod, as it computed them: the server counts these instead
   * of working them out again. Absent for workloads (they are only prepared) and denials.
   */
  injected?: InjectedCredential[];
  /** A refused deletion of a credential: its first users (most telling first) and how many in all, for the Event. */
  blockedDeletion?: BlockedDeletion;
}

/** Who keeps a credential from being deleted. */
export interface BlockedDeletion {
  credential: string;
  namespace: string;
  total: number;
  /** At most the few a denial names. */
  users: string[];
}

/** Reason categories of the engine's findings; each becomes a denial's `reason`. */
export type FindingReason = 'CredentialNotFound' | 'InvalidCredential' | 'InvalidAnnotation' | 'InvalidObject' | 'Conflict' | 'UnknownContainer' | 'Unsupported';

/** One problem the engine found; all of an object's findings become one denial. */
export interface Finding {
  reason: FindingReason;
  message: string;
}
