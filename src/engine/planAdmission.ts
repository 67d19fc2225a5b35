import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Decision } from '../contract/decision.js';
import { versionsAnnotation } from './consumption.js';
import { denialFrom, injectedCopy } from './injectPodTemplate.js';
import { jsonDiff } from './jsonDiff.js';
import type { InjectionOptions } from './options.js';
import { type AdmissionInput, type PreparedObject, prepareObject } from './prepareObject.js';

export type { AdmissionInput } from './prepareObject.js';

const nothing = (): Decision => ({ patch: [], warnings: [] });

function planPod(pod: PreparedObject, namespace: string, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const result = injectedCopy(pod.template, namespace, credentials, options);
  const denial = denialFrom(result.findings);
  if (denial) return { patch: [], warnings: [], denial };
  // What the Pod was injected with, as keyed versions (only a server holding the digest key has them).
  const versions = result.injected.length > 0 ? versionsAnnotation(result.template, namespace, credentials) : undefined;
  if (versions) result.template.metadata = { ...result.template.metadata, annotations: { ...result.template.metadata?.annotations, [versions.key]: versions.value } };
  const patch = jsonDiff(pod.original, result.template);
  return patch.length > 0 ? { patch, warnings: result.warnings, injected: result.injected } : { patch, warnings: result.warnings };
}

function planWorkload(workload: PreparedObject, namespace: string, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const patch = jsonDiff(workload.original, workload.prepared);
  if (workload.unchanged) return { patch, warnings: [] };
  // Inject into a throwaway copy only to find problems now, at apply time; the stored template stays clean.
  const trial = injectedCopy(workload.template, namespace, credentials, options);
  const denial = denialFrom(trial.findings);
  return denial ? { patch: [], warnings: [], denial } : { patch, warnings: trial.warnings };
}

/**
 * Decide what the mutating webhook does with an object: inject into a Pod at CREATE; for a
 * workload, copy the workload-level annotations into its pod template and deny unknown credentials
 * early. `injected` in the answer says which credentials went into a Pod when the patch changes it.
 */
export function planAdmission(input: AdmissionInput, credentials: CredentialLookup, options: InjectionOptions): Decision {
  const prepared = prepareObject(input);
  if (!prepared) return nothing();
  // A Pod's spec cannot change after CREATE: nothing to inject, nothing to judge.
  if (prepared.info.kind === 'Pod' && input.operation !== 'CREATE') return nothing();
  if ('malformed' in prepared) return { patch: [], warnings: [], denial: prepared.malformed };
  if (prepared.info.kind === 'Pod') return planPod(prepared, input.namespace, credentials, options);
  return planWorkload(prepared, input.namespace, credentials, options);
}
