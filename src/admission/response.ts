import type { Decision } from '../contract/decision.js';
import { admissionApiVersion, type AdmissionResponseReview } from './review.js';

/** Status code of every denial: a policy refusal the user can fix, like RBAC's Forbidden. */
const deniedCode = 403;

/**
 * Turns an engine decision into the AdmissionReview the API server expects. The engine's reason
 * goes to the log line and metrics; `status.reason` stays the standard `Forbidden` so
 * clients' "is forbidden" checks keep working.
 */
export function reviewResponse(uid: string, decision: Decision): AdmissionResponseReview {
  const response: AdmissionResponseReview['response'] = { uid, allowed: decision.denial === undefined };
  if (decision.denial) {
    response.status = { code: deniedCode, reason: 'Forbidden', message: decision.denial.message };
  } else if (decision.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(decision.patch)).toString('base64');
  }
  if (decision.warnings.length > 0) response.warnings = decision.warnings;
  return { apiVersion: admissionApiVersion, kind: 'AdmissionReview', response };
}

/** A fresh decision that lets a request through untouched. */
export function allowed(warnings: string[] = []): Decision {
  return { patch: [], warnings };
}
