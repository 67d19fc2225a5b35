import type { V1ObjectMeta } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { copyForInjection } from './copyOnWrite.js';
import type { Decision } from './decision.js';
import { denialFrom, injectPodTemplate, type PodTemplate } from './injectPodTemplate.js';
import { jsonDiff } from './jsonDiff.js';
import type { InjectionOptions } from './options.js';
import { copyWorkloadAnnotations, dropRemovedWorkloadAnnotations, effectiveRequest, podTemplateOf } from './workloadAnnotations.js';

/** One object under admission, as the mutating webhook or the CLI sees it. */
export interface AdmissionInput {
  /** The object (Pod or workload) as JSON. */
  object: unknown;
  /** Namespace from `request.namespace`; pods from controllers have no name yet. */
  namespace: string;
  operation: 'CREATE' | 'UPDATE';
  /** The stored object on UPDATE, to let unchanged requests through. */
  oldObject?: unknown;
}

type KubeObject = { kind?: string; metadata?: V1ObjectMeta };

const nothing: Decision = { patch: [], warnings: [] };

/**
 * An UPDATE that leaves the credinject annotations as they were, or one on an object being deleted,
 * is not ours to judge: controllers and garbage collection must never be blocked by a credential
 * that changed after the object was admitted.
 */
export function isUnchangedUpdate(input: AdmissionInput): boolean {
  if (input.operation !== 'UPDATE') return false;
  if ((input.object as KubeObject).metadata?.deletionTimestamp) return true;
  return input.oldObject !== undefined && isDeepStrictEqual(effectiveRequest(input.object), effectiveRequest(input.oldObject));
}

function planPod(pod: KubeObject, namespace: string, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const injected = copyForInjection(pod as PodTemplate);
  const result = injectPodTemplate(injected, namespace, credentials, options);
  const denial = denialFrom(result.findings);
  if (denial) return { patch: [], warnings: [], denial };
  return { patch: jsonDiff(pod, injected), warnings: result.warnings };
}

function planWorkload(input: AdmissionInput, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const copy = structuredClone(input.object) as KubeObject;
  const template = podTemplateOf(copy);
  if (!template) return nothing;
  copyWorkloadAnnotations(copy, template);
  if (input.oldObject !== undefined) dropRemovedWorkloadAnnotations(copy, template, input.oldObject);
  const patch = jsonDiff(input.object, copy);
  if (isUnchangedUpdate(input)) return { patch, warnings: [] };
  // Inject into a throwaway copy only to find problems now, at apply time; the stored template stays clean.
  const trial = injectPodTemplate(copyForInjection(template), input.namespace, credentials, options);
  const denial = denialFrom(trial.findings);
  return denial ? { patch: [], warnings: [], denial } : { patch, warnings: trial.warnings };
}

/**
 * Decide what the mutating webhook does with an object: inject into a Pod; for a workload copy the
 * workload-level annotations into its pod template and deny unknown credentials early.
 */
export function planAdmission(input: AdmissionInput, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const kind = (input.object as KubeObject | null)?.kind;
  if (kind === 'Pod') return input.operation === 'CREATE' ? planPod(input.object as KubeObject, input.namespace, credentials, options) : nothing;
  return podTemplateOf(input.object) ? planWorkload(input, credentials, options) : nothing;
}
