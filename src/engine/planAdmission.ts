import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Decision } from './decision.js';
import type { InjectionOptions } from './options.js';

/** One object under admission, as the mutating webhook or the CLI sees it. */
export interface AdmissionInput {
  /** The object (Pod or workload) as JSON. */
  object: unknown;
  /** Namespace from `request.namespace`; pods from controllers have no name yet. */
  namespace: string;
  operation: 'CREATE' | 'UPDATE';
}

/**
 * Decide what the mutating webhook does with an object: inject into a Pod; for a workload copy the
 * workload-level annotations into its pod template and deny unknown credentials early.
 */
export function planAdmission(
  _input: AdmissionInput,
  _credentials: CredentialLookup,
  _options: InjectionOptions,
): Decision {
  throw new Error('planAdmission: engine not built yet');
}
