import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Denial } from '../contract/decision.js';
import { denialFrom, injectedCopy } from './injectPodTemplate.js';
import type { InjectionOptions } from './options.js';
import { type AdmissionInput, prepareObject } from './prepareObject.js';

/**
 * The validating webhook's check of a Pod or workload: every credential it asks for exists and is
 * valid, and injection with the server's options would succeed (after every mutating webhook ran).
 * An unchanged UPDATE passes.
 */
export function checkReferences(input: AdmissionInput, credentials: CredentialLookup, options: InjectionOptions): Denial | undefined {
  const prepared = prepareObject(input);
  if (!prepared) return undefined;
  if ('malformed' in prepared) return prepared.malformed;
  if (prepared.unchanged) return undefined;
  return denialFrom(injectedCopy(prepared.template, input.namespace, credentials, options).findings);
}
