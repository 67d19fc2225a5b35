import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Denial } from './decision.js';
import { denialFrom, injectPodTemplate, type PodTemplate } from './injectPodTemplate.js';
import { defaultInjectionOptions } from './options.js';
import { isUnchangedUpdate } from './planAdmission.js';
import { copyWorkloadAnnotations, podTemplateOf } from './workloadAnnotations.js';

/**
 * The validating webhook's check of a Pod or workload: every credential it asks for exists and is
 * valid, and injection would succeed (after every mutating webhook ran). An unchanged UPDATE passes.
 */
export function checkReferences(object: unknown, namespace: string, credentials: CredentialLookup, oldObject?: unknown): Denial | undefined {
  const operation = oldObject === undefined ? 'CREATE' : 'UPDATE';
  if (isUnchangedUpdate({ object, namespace, operation, oldObject })) return undefined;
  const copy = structuredClone(object) as { kind?: string; metadata?: V1ObjectMeta };
  const template: PodTemplate | undefined = copy.kind === 'Pod' ? (copy as PodTemplate) : podTemplateOf(copy);
  if (!template) return undefined;
  if (copy.kind !== 'Pod') copyWorkloadAnnotations(copy, template);
  return denialFrom(injectPodTemplate(template, namespace, credentials, defaultInjectionOptions).findings);
}
