import type { V1ObjectMeta } from '@kubernetes/client-node';
import { isRecord } from '../contract/json.js';
import { keys } from '../contract/keys.js';
import { kindInfo, type UserKind } from '../contract/workloadKinds.js';
import type { PodTemplate } from './injectPodTemplate.js';

/** `<setting>.credinject.dev/<credential>`: the per-credential request annotations. */
export const perCredentialPrefixes = [keys.mountPathFor, keys.envPrefixFor, keys.envFor, keys.keysFor, keys.modeFor] as const;

/** Annotation keys a user sets to ask for injection (not the status keys credinject writes). */
export function isRequestKey(key: string): boolean {
  return (
    key === keys.inject ||
    key === keys.containers ||
    key === keys.render ||
    key === keys.agent ||
    perCredentialPrefixes.some((prefix) => key.startsWith(prefix))
  );
}

/** The request annotations of `metadata`, read defensively: a value that is not a string is not a request. */
function requestAnnotations(metadata: V1ObjectMeta | undefined): Record<string, string> {
  const annotations: unknown = isRecord(metadata) ? metadata.annotations : undefined;
  if (!isRecord(annotations)) return {};
  return Object.fromEntries(Object.entries(annotations).filter((entry): entry is [string, string] => isRequestKey(entry[0]) && typeof entry[1] === 'string'));
}

/** Read the value at a path of plain JSON, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}

/** The pod template of an object of a known kind (a Pod is its own), or undefined when it has none. */
export function podTemplateOf(object: unknown, kind: UserKind): PodTemplate | undefined {
  const template = valueAt(object, kindInfo(kind).templatePath);
  return typeof template === 'object' && template !== null && !Array.isArray(template) ? (template as PodTemplate) : undefined;
}

/**
 * Copy the workload-level request annotations into the pod template, in place. The workload's
 * value wins: it is the one the user edits, and a stale copy must not outlive a change to it.
 */
export function copyWorkloadAnnotations(object: { metadata?: V1ObjectMeta }, template: PodTemplate): void {
  const copied = requestAnnotations(object.metadata);
  if (Object.keys(copied).length === 0) return;
  template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...copied } };
}

/** The request annotations that decide what a Pod or workload gets: its own plus its template's. */
export function effectiveRequest(object: unknown, kind: UserKind): Record<string, string> {
  const metadata = (object as { metadata?: V1ObjectMeta } | null)?.metadata;
  if (kind === 'Pod') return requestAnnotations(metadata);
  return { ...requestAnnotations(podTemplateOf(object, kind)?.metadata), ...requestAnnotations(metadata) };
}

/**
 * On UPDATE, take back what an earlier copy put into the template: a request annotation the workload
 * had and no longer has is dropped from the template while the template still holds the copied
 * value. Without this, removing `credinject.dev/inject` from a Deployment would keep injecting.
 */
export function dropRemovedWorkloadAnnotations(object: { metadata?: V1ObjectMeta }, template: PodTemplate, oldObject: unknown): void {
  const before = requestAnnotations((oldObject as { metadata?: V1ObjectMeta } | null)?.metadata);
  const now = requestAnnotations(object.metadata);
  const current = template.metadata?.annotations;
  if (!current || !template.metadata) return;
  const removed = Object.keys(before).filter((key) => !(key in now) && current[key] === before[key]);
  if (removed.length === 0) return;
  template.metadata = { ...template.metadata, annotations: Object.fromEntries(Object.entries(current).filter(([key]) => !removed.includes(key))) };
}
