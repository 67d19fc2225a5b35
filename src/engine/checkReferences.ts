import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { copyForInjection } from './copyOnWrite.js';
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
  let template: PodTemplate | undefined;
  if ((object as { kind?: string } | null)?.kind === 'Pod') {
    template = copyForInjection(object as PodTemplate);
  } else {
    const copy = structuredClone(object) as { metadata?: V1ObjectMeta };
    template = podTemplateOf(copy);
    if (template) copyWorkloadAnnotations(copy, template);
  }
  if (!template) return undefined;
  return denialFrom(injectPodTemplate(template, namespace, credentials, defaultInjectionOptions).findings);
}
