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

/** `{"apiVersion":…,"kind":…,"response":{` as JSON.stringify writes the envelope of reviewResponse. */
const envelopeStart = `{"apiVersion":${JSON.stringify(admissionApiVersion)},"kind":"AdmissionReview","response":{"uid":`;

/**
 * The JSON text of `reviewResponse(uid, decision)`, byte for byte, written once: the patch is
 * serialised and base64-encoded, and the base64 text (which needs no escaping) goes into the
 * envelope as it is, instead of serialising an object that holds it a second time.
 */
export function reviewResponseText(uid: string, decision: Decision): string {
  let text = envelopeStart + JSON.stringify(uid);
  if (decision.denial) {
    text += `,"allowed":false,"status":{"code":${deniedCode},"reason":"Forbidden","message":${JSON.stringify(decision.denial.message)}}`;
  } else {
    text += ',"allowed":true';
    if (decision.patch.length > 0) text += `,"patchType":"JSONPatch","patch":"${Buffer.from(JSON.stringify(decision.patch)).toString('base64')}"`;
  }
  if (decision.warnings.length > 0) text += `,"warnings":${JSON.stringify(decision.warnings)}`;
  return `${text}}}`;
}

/** A fresh decision that lets a request through untouched. */
export function allowed(warnings: string[] = []): Decision {
  return { patch: [], warnings };
}
