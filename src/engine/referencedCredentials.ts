import type { UserKind } from '../contract/workloadKinds.js';
import { requestedCredentialNames } from './injectionRequest.js';
import { effectiveRequest } from './workloadAnnotations.js';

/**
 * Credential names a Pod or workload references through its own or its pod template's annotations.
 * The usage index keeps these to answer "who uses this Secret" on DELETE. The caller knows the kind
 * (list items come without one).
 */
export function referencedCredentials(object: unknown, kind: UserKind): string[] {
  return requestedCredentialNames(effectiveRequest(object, kind));
}
