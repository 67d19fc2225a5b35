import type { Decision } from '../contract/decision.js';
import type { InjectionOptions } from '../engine/options.js';
import { planAdmission } from '../engine/planAdmission.js';
import { isPod, isWorkload } from '../contract/workloadKinds.js';
import { checkExpiry, defaultExpiryPolicy, type ExpiryPolicy } from './expiryCheck.js';
import { inheritedRequest } from './inheritedRequest.js';
import { allowed } from './response.js';
import type { AdmissionRequest } from './review.js';
import type { AdmissionStore } from './store.js';

/**
 * The mutating webhook: Pods are injected at CREATE (their spec is immutable afterwards), with the
 * request annotations of their ServiceAccount under their own; workloads are prepared at CREATE/UPDATE. The engine decides (including letting unchanged UPDATEs and objects
 * being deleted through); this only picks what reaches it, and adds the expiry warnings of what went into a Pod.
 */
export function mutate(
  request: AdmissionRequest,
  store: AdmissionStore,
  options: InjectionOptions,
  expiry: ExpiryPolicy = defaultExpiryPolicy,
  now: () => Date = () => new Date(),
): Decision {
  const { operation, object } = request;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return allowed();
  if (object === null || object === undefined) return allowed();
  const pod = isPod(request.kind);
  if (!pod && !isWorkload(request.kind)) return allowed();
  if (pod && operation !== 'CREATE') return allowed();
  const namespace = request.namespace ?? '';
  const input = { object, namespace, operation, kind: request.kind, ...(request.oldObject ? { oldObject: request.oldObject } : {}) };
  const inherited = pod ? inheritedRequest(object, namespace, store) : undefined;
  const decision = planAdmission(inherited ? { ...input, inherited } : input, store.credentials, options);
  return pod ? checkExpiry(decision, namespace, store.credentials, expiry, now()) : decision;
}
