import type { V1Secret } from '@kubernetes/client-node';
import type { CredentialProblem } from '../credentials/credentialInfo.js';
import { credentialDenial, credentialWarnings, validateCredential } from '../credentials/validateCredential.js';
import { checkReferences } from '../engine/checkReferences.js';
import type { Decision } from '../contract/decision.js';
import { defaultInjectionOptions, type InjectionOptions } from '../engine/options.js';
import { isRecord } from '../contract/json.js';
import { keys } from '../contract/keys.js';
import { shortWarning } from '../contract/warnings.js';
import { deletionCheck, type DeletionRequest } from './deletionCheck.js';
import { isPod, isSecret, isWorkload } from '../contract/workloadKinds.js';
import { inheritedRequest } from './inheritedRequest.js';
import { objectMeta } from './objectMeta.js';
import { allowed } from './response.js';
import type { AdmissionRequest } from './review.js';
import type { AdmissionStore } from './store.js';

/** What the validating webhook knows of the server it runs in. */
export interface ValidationSettings {
  /** The server's injection options: a reference check must fail exactly where injection would. */
  injection?: InjectionOptions;
  /** The injector's namespace: the only one where `credinject.dev/scope: cluster` is honoured. */
  injectorNamespace?: string | undefined;
  /** Whether this server mirrors cluster credentials (`--mirror-cluster-credentials`). */
  mirroring?: boolean;
}

/**
 * The validating webhook: credential Secrets are checked against their type's contract on
 * CREATE/UPDATE and protected from deletion while used; Pods and workloads are denied when they
 * reference credentials that do not exist. Anything else is allowed untouched.
 */
export function validate(request: AdmissionRequest, store: AdmissionStore, settings: ValidationSettings = {}): Decision {
  const namespace = request.namespace ?? '';
  if (isSecret(request.kind)) return validateSecret(request, namespace, store, settings);
  if (!isPod(request.kind) && !isWorkload(request.kind)) return allowed();
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allowed();
  if (request.object === null || request.object === undefined) return allowed();
  // A running pod's spec cannot change; a pod UPDATE (labels, finalizers) is no reason to deny.
  if (isPod(request.kind) && request.operation === 'UPDATE') return allowed();
  // On UPDATE the engine lets unchanged references and objects being deleted through.
  const inherited = isPod(request.kind) ? inheritedRequest(request.object, namespace, store) : undefined;
  const input = { object: request.object, namespace, operation: request.operation, kind: request.kind, ...(inherited ? { inherited } : {}) };
  const oldObject = request.operation === 'UPDATE' ? (request.oldObject ?? undefined) : undefined;
  const denial = checkReferences(oldObject === undefined ? input : { ...input, oldObject }, store.credentials, settings.injection ?? defaultInjectionOptions);
  return denial ? { patch: [], warnings: [], denial } : allowed();
}

function validateSecret(request: AdmissionRequest, namespace: string, store: AdmissionStore, settings: ValidationSettings): Decision {
  const old = request.oldObject ? objectMeta(request.oldObject) : undefined;
  if (request.operation === 'DELETE') {
    // parseReview refuses a DELETE without oldObject.metadata. Should one reach here anyway, its
    // labels are unknown; the webhook is only called for credentials (objectSelector), so
    // protecting by name is the safe reading, whether oldObject is null, {} or has no metadata.
    const labelsKnown = isRecord(request.oldObject) && isRecord(request.oldObject['metadata']);
    if (labelsKnown && old?.labels[keys.typeLabel] === undefined) return allowed();
    return deletionCheck(protectedSecret(request, namespace, old?.name, old?.annotations ?? {}), store.usage, store.usageCurrent?.() ?? true);
  }
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return allowed();
  const meta = objectMeta(request.object);
  if (meta.labels[keys.typeLabel] === undefined) {
    // Dropping the type label ends the Secret's life as a credential: for its users that is a
    // deletion, so it is guarded like one.
    if (old?.labels[keys.typeLabel] === undefined) return allowed();
    const annotations = { ...old.annotations, ...meta.annotations };
    return deletionCheck(protectedSecret(request, namespace, meta.name ?? old.name, annotations), store.usage, store.usageCurrent?.() ?? true);
  }
  const problems = validateCredential(request.object as V1Secret);
  const name = meta.name ?? request.name ?? meta.generateName ?? '';
  const warnings = [...scopeWarning(name, namespace, meta.labels[keys.scopeLabel], settings), ...credentialWarnings(request.object as V1Secret).map(shortWarning)];
  if (problems.length === 0) return allowed(warnings);
  const denial = credentialDenial(name, problems);
  // An UPDATE that adds no problem (a label, an owner reference, a finalizer removed) of a Secret
  // that was already invalid, say from before the webhook existed, cannot make it worse: warn only.
  if (request.operation === 'UPDATE' && request.oldObject && !introducesProblems(problems, request.oldObject)) {
    return allowed([shortWarning(denial.message), ...warnings]);
  }
  return { patch: [], warnings: [], denial };
}

/**
 * A cluster scope the server will not act on is allowed (the Secret is still a good namespaced
 * credential) but said out loud: outside the injector's namespace it is never mirrored (anyone who
 * can write Secrets somewhere must not push them into other namespaces), and without mirroring on,
 * not even there. Unknown injector namespace (static mode): nothing to say.
 */
function scopeWarning(name: string, namespace: string, scope: string | undefined, settings: ValidationSettings): string[] {
  if (scope !== 'cluster' || settings.injectorNamespace === undefined) return [];
  if (namespace !== settings.injectorNamespace) {
    return [shortWarning(`credential "${name}": scope cluster counts only in namespace "${settings.injectorNamespace}"; here it is namespaced, not mirrored`)];
  }
  if (!settings.mirroring) return [shortWarning(`credential "${name}": scope cluster, but mirroring is off (serve --mirror-cluster-credentials)`)];
  return [];
}

function introducesProblems(problems: CredentialProblem[], oldObject: unknown): boolean {
  const before = validateCredential(oldObject as V1Secret);
  return problems.some((p) => !before.some((b) => b.rule === p.rule && b.key === p.key));
}


function protectedSecret(
  request: AdmissionRequest,
  namespace: string,
  name: string | undefined,
  annotations: Record<string, string>,
): DeletionRequest {
  return { name: name ?? request.name ?? '', namespace, annotations, username: request.userInfo.username };
}
