import type { V1ObjectMeta } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import type { Denial } from '../contract/decision.js';
import { isRecord } from '../contract/json.js';
import { type KindInfo, userKindOf, userKindOfObject } from '../contract/workloadKinds.js';
import type { PodTemplate } from './injectPodTemplate.js';
import { objectShapeProblems } from './podShape.js';
import { withServiceAccountRequest } from './serviceAccountRequest.js';
import { copyWorkloadAnnotations, dropRemovedWorkloadAnnotations, effectiveRequest } from './workloadAnnotations.js';

/** One object under admission, as the webhooks or the CLI see it. */
export interface AdmissionInput {
  /** The object (Pod or workload) as JSON. */
  object: unknown;
  /** Namespace from `request.namespace`; pods from controllers have no name yet. */
  namespace: string;
  operation: 'CREATE' | 'UPDATE';
  /** The stored object on UPDATE, to let unchanged requests through. */
  oldObject?: unknown;
  /**
   * The kind from the AdmissionReview (`request.kind`). Without it (the CLI, files) the object's own
   * `apiVersion` and `kind` decide, exactly as the webhooks are registered.
   */
  kind?: { group: string; kind: string };
  /**
   * For a Pod: the request annotations of the ServiceAccount it runs as, merged in under its own
   * (the admission store looks them up; the engine stays pure).
   */
  inherited?: Readonly<Record<string, string>>;
}

type KubeObject = Record<string, unknown> & { metadata?: V1ObjectMeta };

/** An object made ready for the engine: its kind known, its template found once, the input untouched. */
export interface PreparedObject {
  info: KindInfo;
  /** The object as given. */
  original: KubeObject;
  /**
   * Copy-on-write of the original in which the workload-level request annotations were copied into
   * the pod template (and, on UPDATE, removed ones taken back out). For a Pod, the original with
   * its ServiceAccount's request annotations copied in (the original itself when there are none).
   */
  prepared: KubeObject;
  /** The pod template inside `prepared`; for a Pod, the Pod. */
  template: PodTemplate;
  /** An UPDATE that leaves the request as it was, or an object being deleted: not ours to judge. */
  unchanged: boolean;
}

/**
 * A shallow copy of `root` and of every object on `path`, so that the node at the end can be
 * replaced without touching `root`; everything off the path stays shared.
 */
function copyAlong(root: KubeObject, path: readonly string[]): { copy: KubeObject; node: Record<string, unknown> } {
  const copy = { ...root };
  let node: Record<string, unknown> = copy;
  for (const step of path) {
    const child = node[step];
    const next = isRecord(child) ? { ...child } : {};
    node[step] = next;
    node = next;
  }
  return { copy, node };
}

/** `object` with its pod template replaced by `template`, copying only the path to it. */
export function withTemplate(object: KubeObject, info: KindInfo, template: PodTemplate): KubeObject {
  if (info.templatePath.length === 0) return template as KubeObject;
  const parent = copyAlong(object, info.templatePath.slice(0, -1));
  parent.node[info.templatePath.at(-1)!] = template;
  return parent.copy;
}

function isUnchanged(input: AdmissionInput, original: KubeObject, info: KindInfo): boolean {
  if (input.operation !== 'UPDATE') return false;
  if (original.metadata?.deletionTimestamp) return true;
  return input.oldObject !== undefined && isDeepStrictEqual(effectiveRequest(original, info.kind), effectiveRequest(input.oldObject, info.kind));
}

/** An object of our kinds whose fields do not have the shape the engine reads: denied, naming them. */
export interface MalformedObject {
  info: KindInfo;
  malformed: Denial;
}

/** How many shape problems a denial names; one round trip shows enough to fix the file. */
const namedProblems = 5;

/**
 * The one preparation step of every engine entry (webhook mutation, webhook validation, CLI): find
 * the kind and the pod template once, check the shape of what the engine reads, and apply
 * workload-level annotations to a copy. Undefined for objects that are not ours (other kinds, a CRD
 * named `Deployment`, a workload without a template).
 */
export function prepareObject(input: AdmissionInput): PreparedObject | MalformedObject | undefined {
  const info = input.kind ? userKindOf(input.kind) : userKindOfObject(input.object);
  if (!info || !isRecord(input.object)) return undefined;
  const problems = objectShapeProblems(input.object, info);
  if (problems.length > 0) return { info, malformed: { reason: 'InvalidObject', message: problems.slice(0, namedProblems).join('; ') } };
  const original = input.object as KubeObject;
  const unchanged = isUnchanged(input, original, info);
  if (info.kind === 'Pod') {
    const pod = withServiceAccountRequest(original, input.inherited);
    return { info, original, prepared: pod, template: pod as PodTemplate, unchanged };
  }
  const { copy, node } = copyAlong(original, info.templatePath.slice(0, -1));
  const last = info.templatePath.at(-1)!;
  const found = node[last];
  if (!isRecord(found)) return undefined;
  const template: PodTemplate = { ...found };
  node[last] = template;
  copyWorkloadAnnotations(copy, template);
  if (input.operation === 'UPDATE' && input.oldObject !== undefined) dropRemovedWorkloadAnnotations(copy, template, input.oldObject);
  return { info, original, prepared: copy, template, unchanged };
}
