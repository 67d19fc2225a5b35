import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Denial } from '../contract/decision.js';
import { keys } from '../contract/keys.js';
import type { UserKind } from '../contract/workloadKinds.js';
import { requestedCredentialNames } from '../engine/injectionRequest.js';
import { secretReferences } from '../engine/secretReferences.js';
import { withServiceAccountRequest } from '../engine/serviceAccountRequest.js';
import { effectiveRequest } from '../engine/workloadAnnotations.js';
import type { NamespacePolicy } from './namespacePolicy.js';

/** A Pod or workload under admission, as the namespace policy judges it. */
export interface PolicyInput {
  namespace: string;
  kind: UserKind;
  object: unknown;
  /** On UPDATE, the stored object: what it already asked for or referenced is not judged again. */
  oldObject?: unknown;
  /** For a Pod: the request annotations of its ServiceAccount (merged under its own, as injection does). */
  inherited?: Readonly<Record<string, string>>;
}

/** How many violations a denial names; the rest are counted. */
const namedViolations = 5;

function requested(object: unknown, kind: UserKind, inherited: PolicyInput['inherited']): string[] {
  const subject = kind === 'Pod' && typeof object === 'object' && object !== null ? withServiceAccountRequest(object, inherited) : object;
  return requestedCredentialNames(effectiveRequest(subject, kind));
}

function isBeingDeleted(object: unknown): boolean {
  const metadata = (object as { metadata?: { deletionTimestamp?: unknown } } | null)?.metadata;
  return metadata?.deletionTimestamp !== undefined && metadata.deletionTimestamp !== null;
}

function typeViolations(input: PolicyInput, policy: NamespacePolicy, names: string[], before: ReadonlySet<string>, credentials: CredentialLookup): string[] {
  const allowed = policy.allowedTypes;
  if (!allowed) return [];
  return names.flatMap((name) => {
    const info = before.has(name) ? undefined : credentials.get(input.namespace, name);
    if (!info || allowed.includes(info.type)) return [];
    return [
      `credential "${name}" has type ${info.type}, which namespace "${input.namespace}" does not allow ` +
        `(${keys.allowedTypes}: "${policy.allowedTypesText ?? ''}")`,
    ];
  });
}

function referenceViolations(input: PolicyInput, names: string[], credentials: CredentialLookup): string[] {
  const asked = new Set(names);
  const already = new Set(input.oldObject === undefined ? [] : secretReferences(input.oldObject, input.kind).map((ref) => ref.name));
  return secretReferences(input.object, input.kind).flatMap((ref) => {
    if (asked.has(ref.name) || already.has(ref.name) || !credentials.get(input.namespace, ref.name)) return [];
    return [`${ref.path} references credential "${ref.name}" directly; ask for it with ${keys.inject} instead`];
  });
}

function denial(reason: string, violations: string[], preface: string): Denial {
  const named = violations.slice(0, namedViolations).join('; ');
  const more = violations.length > namedViolations ? ` and ${violations.length - namedViolations} more` : '';
  return { reason, message: `${preface}${named}${more}` };
}

/**
 * The namespace policy's decision on a Pod or workload: `allowed-types` refuses credentials of other
 * types asked for (annotations, or a Pod's ServiceAccount), naming the type and the policy;
 * `require-injection` refuses references by hand to credential Secrets the object does not ask for
 * (those injection adds are asked for), naming each field. On UPDATE only what is new is judged, so
 * a namespace that tightens its policy does not block scaling what already runs there.
 */
export function checkNamespacePolicy(input: PolicyInput, policy: NamespacePolicy | undefined, credentials: CredentialLookup): Denial | undefined {
  if (!policy || isBeingDeleted(input.object)) return undefined;
  const names = requested(input.object, input.kind, input.inherited);
  const before = new Set(input.oldObject === undefined ? [] : requested(input.oldObject, input.kind, input.inherited));
  const types = typeViolations(input, policy, names, before, credentials);
  if (types.length > 0) return denial('TypeNotAllowed', types, '');
  if (!policy.requireInjection) return undefined;
  const references = referenceViolations(input, names, credentials);
  if (references.length === 0) return undefined;
  return denial('InjectionRequired', references, `namespace "${input.namespace}" requires credentials through ${keys.inject} (${keys.requireInjection}: "true"): `);
}
