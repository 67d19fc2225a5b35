import type { UserKind } from '../contract/workloadKinds.js';
import { requestedCredentialNames } from './injectionRequest.js';
import { referencedSecretNames } from './secretReferences.js';
import { effectiveRequest } from './workloadAnnotations.js';

/** What a Pod or workload uses, as deletion protection counts it. */
export interface ObjectUsage {
  /** Credential names its own or its pod template's annotations ask for. */
  credentials: string[];
  /**
   * Secrets its pod spec references by hand and the annotations do not name. Every Secret, not only
   * credentials: a reference can arrive before its Secret is labelled, and the spec is not kept.
   * Injected pods reference what they were given; those names are in `credentials` already.
   */
  direct: string[];
}

/**
 * Reduces a Pod or workload to the Secret names it uses, on arrival, so that the spec need not be
 * kept. The caller knows the kind (list items come without one).
 */
export function objectUsage(object: unknown, kind: UserKind): ObjectUsage {
  const credentials = requestedCredentialNames(effectiveRequest(object, kind));
  const referenced = referencedSecretNames(object, kind);
  const direct = credentials.length === 0 ? referenced : referenced.filter((name) => !credentials.includes(name));
  return { credentials, direct };
}
