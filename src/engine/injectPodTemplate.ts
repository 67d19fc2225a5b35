import type { V1ObjectMeta, V1PodSpec } from '@kubernetes/client-node';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { injectAgent } from './agentSidecar.js';
import { copyForInjection } from './copyOnWrite.js';
import { keys } from '../contract/keys.js';
import { injectContainerEnv } from './containerEnv.js';
import { injectContainerMounts } from './containerMounts.js';
import { type Contribution, credentialContribution } from './credentialContribution.js';
import type { Denial, InjectedCredential } from '../contract/decision.js';
import { parseInjectionRequest, requestsInjection } from './injectionRequest.js';
import type { InjectionOptions } from './options.js';
import { ownerOnlyReadWarnings } from './ownerOnlyReaders.js';
import { injectPodVolumes } from './podVolumes.js';
import type { Finding } from '../contract/decision.js';
import { resolveCredentials } from './resolveCredentials.js';
import { targetContainers } from './targetContainers.js';

/** A Pod, or the pod template of a workload: the part credinject injects into. */
export interface PodTemplate {
  metadata?: V1ObjectMeta;
  spec?: V1PodSpec;
}

export interface TemplateInjection {
  warnings: string[];
  findings: Finding[];
  /** Credentials injected (name and type); empty when the template asked for nothing. */
  injected: InjectedCredential[];
}

/** Turn the engine's findings into one denial that lists every problem. */
export function denialFrom(findings: readonly Finding[]): Denial | undefined {
  const first = findings[0];
  if (!first) return undefined;
  return { reason: first.reason, message: [...new Set(findings.map((finding) => finding.message))].join('; ') };
}

/**
 * Inject the credentials a template's annotations ask for, in place: the caller hands a clone. The
 * pipeline reads top to bottom: parse annotations → resolve credentials → choose containers → work
 * out each credential's contribution → merge volumes, env and mounts → add the agent → record status.
 * With any finding the template must be discarded: nothing is half-injected.
 */
export function injectPodTemplate(template: PodTemplate, namespace: string, lookup: CredentialLookup, options: InjectionOptions): TemplateInjection {
  const parsed = parseInjectionRequest(template.metadata?.annotations);
  const findings: Finding[] = parsed.problems.map((message) => ({ reason: 'InvalidAnnotation', message }));
  const request = parsed.request;
  if (!request) return { warnings: [], findings, injected: [] };
  const spec = template.spec ?? { containers: [] };
  const resolved = resolveCredentials(request.credentials, namespace, lookup);
  const targets = targetContainers(spec, request);
  findings.push(...resolved.findings, ...targets.findings);
  const contributions: Contribution[] = [];
  const warnings: string[] = [];
  for (const credential of resolved.credentials) {
    const result = credentialContribution(credential, request, spec.securityContext?.fsGroup);
    findings.push(...result.findings);
    warnings.push(...result.warnings);
    if (result.contribution) contributions.push(result.contribution);
  }
  if (findings.length > 0) return { warnings: [], findings, injected: [] };

  findings.push(...injectPodVolumes(spec, contributions));
  for (const container of targets.targets) {
    const env = injectContainerEnv(container, contributions);
    warnings.push(...env.warnings);
    findings.push(...env.findings, ...injectContainerMounts(container, contributions));
  }
  const agent = injectAgent(spec, contributions, options, request.agent);
  findings.push(...agent.findings);
  warnings.push(...agent.warnings);
  warnings.push(...ownerOnlyReadWarnings(spec, contributions, targets.targets, options));
  const injected = contributions.map(({ credential }) => ({ name: credential.name, type: credential.type }));
  template.metadata = template.metadata ?? {};
  template.metadata.annotations = { ...template.metadata.annotations, [keys.status]: 'injected', [keys.injected]: injected.map((c) => c.name).join(',') };
  return findings.length > 0 ? { warnings: [], findings, injected: [] } : { warnings, findings, injected };
}

/**
 * Inject into a copy-on-write copy of the template and return it with the outcome; the template
 * itself is never touched. The copy is only meaningful when there are no findings; a template that
 * asks for nothing comes back as it is.
 */
export function injectedCopy(
  template: PodTemplate,
  namespace: string,
  lookup: CredentialLookup,
  options: InjectionOptions,
): TemplateInjection & { template: PodTemplate } {
  // Asking for nothing, the template is left as it is: not even copied (its spec is not ours to read).
  if (!requestsInjection(template.metadata?.annotations)) return { warnings: [], findings: [], injected: [], template };
  const copy = copyForInjection(template);
  return { ...injectPodTemplate(copy, namespace, lookup, options), template: copy };
}
