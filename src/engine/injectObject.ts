import type { CredentialLookup } from '../credentials/credentialInfo.js';
import type { Denial, InjectedCredential } from '../contract/decision.js';
import { denialFrom, injectedCopy } from './injectPodTemplate.js';
import type { InjectionOptions } from './options.js';
import { prepareObject, withTemplate } from './prepareObject.js';

export interface ObjectInjection {
  /** The injected object (a copy-on-write copy); the input is not touched. */
  object: unknown;
  warnings: string[];
  denial?: Denial;
  injected?: InjectedCredential[];
}

/**
 * What the offline CLI shows: inject into a Pod, or into a workload's pod template (after copying
 * workload-level annotations), like `istioctl kube-inject`. Objects that are not ours (other kinds,
 * other API groups or versions) pass through unchanged. Injecting the result again changes nothing,
 * so a pre-injected template passes the Pod webhook as is.
 */
export function injectObject(object: unknown, namespace: string, credentials: CredentialLookup, options: InjectionOptions): ObjectInjection {
  const prepared = prepareObject({ object, namespace, operation: 'CREATE' });
  if (!prepared) return { object, warnings: [] };
  if ('malformed' in prepared) return { object, warnings: [], denial: prepared.malformed };
  const result = injectedCopy(prepared.template, namespace, credentials, options);
  const denial = denialFrom(result.findings);
  if (denial) return { object, warnings: [], denial };
  return { object: withTemplate(prepared.prepared, prepared.info, result.template), warnings: result.warnings, injected: result.injected };
}
