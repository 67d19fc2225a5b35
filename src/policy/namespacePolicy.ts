import { keys } from '../contract/keys.js';

/** What a Namespace's annotations ask of the Pods and workloads in it (docs/reference.md, "Namespace policy"). */
export interface NamespacePolicy {
  /**
   * The credential types that may be asked for, from `credinject.dev/allowed-types`; undefined
   * when the annotation is absent (every type). Empty (`""`) allows none.
   */
  allowedTypes?: readonly string[];
  /** The annotation as written, quoted back in a denial. */
  allowedTypesText?: string;
  /** `credinject.dev/require-injection: "true"`: credential Secrets only through the annotation. */
  requireInjection: boolean;
}

/** Parses a Namespace's policy annotations; undefined when it sets none (the common case, kept out of the store). */
export function namespacePolicy(annotations: Readonly<Record<string, string>> | undefined): NamespacePolicy | undefined {
  const allowed = annotations?.[keys.allowedTypes];
  const requireInjection = annotations?.[keys.requireInjection]?.trim() === 'true';
  if (allowed === undefined && !requireInjection) return undefined;
  const policy: NamespacePolicy = { requireInjection };
  if (allowed !== undefined) {
    policy.allowedTypes = [...new Set(allowed.split(',').map((type) => type.trim()).filter((type) => type !== ''))];
    policy.allowedTypesText = allowed;
  }
  return policy;
}

/** Where admission finds a namespace's policy. */
export interface NamespacePolicies {
  policyOf(namespace: string): NamespacePolicy | undefined;
}
