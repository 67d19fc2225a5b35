import type { V1ObjectMeta } from '@kubernetes/client-node';
import { isRecord } from '../contract/json.js';
import { isRequestKey } from './workloadAnnotations.js';

/** The ServiceAccount a Pod runs as: the ServiceAccount admission plugin defaults it to `default` before any webhook. */
export function podServiceAccountName(pod: unknown): string {
  const spec = isRecord(pod) && isRecord(pod.spec) ? pod.spec : {};
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = spec[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

/** The request annotations of a ServiceAccount (`credinject.dev/inject` and the others a Pod can carry). */
export function requestAnnotationsOf(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations ?? {})) if (isRequestKey(key) && typeof value === 'string') found[key] = value;
  return found;
}

/** Where the ServiceAccounts' request annotations are read (the view's ServiceAccount store). */
export interface ServiceAccountLookup {
  /** `credinject.dev/inject` and the other request annotations of the ServiceAccount; undefined when it has none. */
  requestOf(namespace: string, name: string): Readonly<Record<string, string>> | undefined;
}

/** The ServiceAccount's request annotations that `own` does not set itself: what admission adds. */
export function inheritedEntries(own: Readonly<Record<string, unknown>>, inherited: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(inherited).filter(([key]) => isRequestKey(key) && !Object.hasOwn(own, key));
}

/**
 * A Pod with its ServiceAccount's request annotations copied in, key by key, the Pod's own winning:
 * a Pod that sets `credinject.dev/inject` itself gets what it names, not the ServiceAccount's list.
 * Copied into the Pod (like workload annotations into a template) so the stored Pod says what it
 * asked for: the guard, the usage index and a reinvocation read it there. The Pod itself when
 * nothing is added; otherwise a copy that shares everything but `metadata`.
 */
export function withServiceAccountRequest<T extends { metadata?: V1ObjectMeta }>(pod: T, inherited: Readonly<Record<string, string>> | undefined): T {
  if (!inherited) return pod;
  const own: unknown = pod.metadata?.annotations ?? {};
  if (!isRecord(own)) return pod;
  const added = inheritedEntries(own, inherited);
  if (added.length === 0) return pod;
  return { ...pod, metadata: { ...pod.metadata, annotations: { ...own, ...Object.fromEntries(added) } } };
}
