import type { AdmissionRequest } from '../admission/review.js';
import { isRecord } from '../contract/json.js';
import type { Decision } from '../contract/decision.js';
import { isSecret, userKindOf } from '../contract/workloadKinds.js';
import { requestedCredentialNames } from '../engine/injectionRequest.js';
import { effectiveRequest } from '../engine/workloadAnnotations.js';
import type { AdmissionResult, WebhookName } from './metrics.js';

/** The audit fields of one admission decision: who, what, which credentials, the outcome. Never a value. */
export interface AuditRecord {
  webhook: WebhookName;
  uid: string;
  user: string | undefined;
  namespace: string | undefined;
  kind: string;
  /** The object's name; empty for a Pod made from `generateName`, which is given instead. */
  name: string | undefined;
  generateName?: string;
  operation: string;
  dryRun: boolean;
  credentials: string[];
  result: AdmissionResult;
  reason: string | undefined;
  patchOperations: number;
  warnings: number;
  durationMs: number;
}

function metadataOf(object: unknown): Record<string, unknown> | undefined {
  return isRecord(object) && isRecord(object.metadata) ? object.metadata : undefined;
}

/**
 * The credentials a decision concerns: the Secret itself; what went into a Pod; otherwise what the
 * object's annotations ask for (names only, read from the annotations the engine already parsed:
 * no serialisation, no spec walk).
 */
function credentialsOf(request: AdmissionRequest, decision: Decision): string[] {
  if (decision.injected) return decision.injected.map((credential) => credential.name);
  if (isSecret(request.kind)) {
    const name = metadataOf(request.object ?? request.oldObject)?.name;
    return typeof name === 'string' ? [name] : request.name ? [request.name] : [];
  }
  const info = userKindOf(request.kind);
  if (!info || !isRecord(request.object)) return [];
  return requestedCredentialNames(effectiveRequest(request.object, info.kind));
}

/** One line per admission decision, at info (docs/reference.md, "Audit"). */
export function auditRecord(webhook: WebhookName, request: AdmissionRequest, decision: Decision, result: AdmissionResult, seconds: number): AuditRecord {
  const record: AuditRecord = {
    webhook,
    uid: request.uid,
    user: request.userInfo.username,
    namespace: request.namespace,
    kind: request.kind.kind,
    name: request.name,
    operation: request.operation,
    dryRun: request.dryRun === true,
    credentials: credentialsOf(request, decision),
    result,
    reason: decision.denial?.reason,
    patchOperations: decision.patch.length,
    warnings: decision.warnings.length,
    durationMs: Math.round(seconds * 1e6) / 1e3,
  };
  if (!request.name) {
    const generateName = metadataOf(request.object)?.generateName;
    if (typeof generateName === 'string') record.generateName = generateName;
  }
  return record;
}
