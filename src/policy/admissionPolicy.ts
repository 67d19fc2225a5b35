import { inheritedRequest } from '../admission/inheritedRequest.js';
import type { AdmissionRequest } from '../admission/review.js';
import type { AdmissionStore } from '../admission/store.js';
import type { Denial } from '../contract/decision.js';
import { userKindOf } from '../contract/workloadKinds.js';
import { checkNamespacePolicy } from './checkNamespacePolicy.js';
import type { NamespacePolicies } from './namespacePolicy.js';

/**
 * The namespace policy for one validating-webhook request: Pods at CREATE (a running Pod's spec is
 * fixed) and workloads at CREATE/UPDATE; anything else is not the policy's business.
 */
export function namespacePolicyDenial(request: AdmissionRequest, store: AdmissionStore, policies: NamespacePolicies): Denial | undefined {
  const info = userKindOf(request.kind);
  if (!info || (request.operation !== 'CREATE' && request.operation !== 'UPDATE')) return undefined;
  if (info.kind === 'Pod' && request.operation !== 'CREATE') return undefined;
  const namespace = request.namespace ?? '';
  const policy = policies.policyOf(namespace);
  if (!policy || request.object === null || request.object === undefined) return undefined;
  const inherited = info.kind === 'Pod' ? inheritedRequest(request.object, namespace, store) : undefined;
  const oldObject = request.operation === 'UPDATE' ? (request.oldObject ?? undefined) : undefined;
  return checkNamespacePolicy(
    { namespace, kind: info.kind, object: request.object, ...(oldObject !== undefined ? { oldObject } : {}), ...(inherited ? { inherited } : {}) },
    policy,
    store.credentials,
  );
}
