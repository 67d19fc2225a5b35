import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Denial } from './decision.js';
import { denialFrom, injectPodTemplate, type PodTemplate } from './injectPodTemplate.js';
import type { InjectionOptions } from './options.js';
import { copyWorkloadAnnotations, podTemplateOf } from './workloadAnnotations.js';

export interface ObjectInjection {
  /** The injected object (a new one); the input is not touched. */
  object: unknown;
  warnings: string[];
  denial?: Denial;
}

/**
 * What the offline CLI shows: inject into a Pod, or into a workload's pod template (after copying
 * workload-level annotations), like `istioctl kube-inject`. Other objects pass through unchanged.
 * Injecting the result again changes nothing, so a pre-injected template passes the Pod webhook as is.
 */
export function injectObject(object: unknown, namespace: string, credentials: CredentialLookup, options: InjectionOptions): ObjectInjection {
  const copy = structuredClone(object) as { kind?: string; metadata?: V1ObjectMeta };
  const template: PodTemplate | undefined = copy?.kind === 'Pod' ? (copy as PodTemplate) : podTemplateOf(copy);
  if (!template) return { object: copy, warnings: [] };
  if (copy.kind !== 'Pod') copyWorkloadAnnotations(copy, template);
  const result = injectPodTemplate(template, namespace, credentials, options);
  const denial = denialFrom(result.findings);
  return denial ? { object, warnings: [], denial } : { object: copy, warnings: result.warnings };
}
