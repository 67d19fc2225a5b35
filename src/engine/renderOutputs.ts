import type { V1EnvVar } from '@kubernetes/client-node';
import type { EnvEntry, LoginSource, RenderFormat } from '../contract/agentPlan.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import type { EnvSource } from '../credentials/credentialType.js';
import { loginSource } from '../credentials/loginSource.js';
import { parseHostPort } from '../credentials/rules/hostPort.js';
import { templateFiles } from '../credentials/templateAnnotation.js';
import { describeProblems } from '../credentials/validateCredential.js';
import { keys } from '../contract/keys.js';
import { renderTargets } from './renderTargets.js';
import type { Finding } from '../contract/decision.js';

/** One file the agent renders for a credential, with what its format needs beyond the Secret volume. */
export interface RenderOutput {
  format: RenderFormat;
  fileName: string;
  ownerOnly?: boolean;
  login?: LoginSource;
  env?: EnvEntry[];
  template?: string;
}

const loginFormats: ReadonlySet<RenderFormat> = new Set(['netrc', 'git-credentials', 'pgpass', 'huggingface-token']);

/** The owner's templates as outputs; the Secret's validation already refused bad ones. */
function templateOutputs(credential: CredentialInfo): RenderOutput[] | Finding {
  const text = credential.annotations[keys.templates];
  if (text === undefined) {
    return { reason: 'InvalidAnnotation', message: `credential "${credential.name}" has no ${keys.templates} annotation to render; add it to the Secret or drop "${credential.name}:template"` };
  }
  const read = templateFiles(text);
  if (!read.ok) return { reason: 'InvalidCredential', message: `credential "${credential.name}" is invalid: ${describeProblems(read.problems)}` };
  return read.files.map(({ fileName, template }) => ({ format: 'template', fileName, template }));
}

function formatOutputs(format: RenderFormat, credential: CredentialInfo, env: readonly EnvSource[]): RenderOutput[] | Finding {
  if (format === 'template') return templateOutputs(credential);
  const target = renderTargets[format];
  const output: RenderOutput = { format, fileName: target.fileName };
  if (target.access === 'owner-only') output.ownerOnly = true;
  if (loginFormats.has(format)) {
    const login = loginSource(credential, format !== 'huggingface-token');
    if ('missing' in login) {
      return { reason: 'InvalidAnnotation', message: `credential "${credential.name}" cannot be rendered as ${format}: it needs ${login.missing.join(', and ')}` };
    }
    // netrc matches host names only; a port in the owner's annotation is known now, a host key's only to the agent.
    if (format === 'netrc' && login.source.host !== undefined && parseHostPort(login.source.host)?.port !== undefined) {
      return { reason: 'InvalidAnnotation', message: `credential "${credential.name}" cannot be rendered as netrc: netrc matches host names only, and ${keys.host} has a port` };
    }
    output.login = login.source;
  }
  if (format === 'env-file') {
    const entries = env.flatMap((source) => ('key' in source ? [{ name: source.name, key: source.key }] : []));
    if (entries.length === 0) return { reason: 'InvalidAnnotation', message: `credential "${credential.name}" injects no env vars, so its env-file would be empty` };
    output.env = entries;
  }
  return [output];
}

/**
 * The files the agent renders for one credential and the env vars that point tools at them. Each
 * format's needs are checked here, from key names and annotations, so a pod that asks for a file
 * the credential cannot make is denied at admission instead of waiting on a startup probe.
 */
export function renderOutputs(
  credential: CredentialInfo,
  formats: readonly RenderFormat[],
  env: readonly EnvSource[],
  mountPath: string,
): { outputs: RenderOutput[]; env: V1EnvVar[]; findings: Finding[] } {
  const outputs: RenderOutput[] = [];
  const findings: Finding[] = [];
  for (const format of formats) {
    const made = formatOutputs(format, credential, env);
    if (Array.isArray(made)) outputs.push(...made);
    else findings.push(made);
  }
  const seen = new Map<string, RenderFormat>();
  for (const { fileName, format } of outputs) {
    const other = seen.get(fileName);
    if (other !== undefined) {
      findings.push({ reason: 'InvalidAnnotation', message: `credential "${credential.name}" would render two files named "${fileName}" (${other} and ${format}); rename the file in ${keys.templates}` });
    }
    seen.set(fileName, format);
  }
  const vars = formats.flatMap((format) => (format === 'template' ? [] : renderTargets[format].env(mountPath)));
  return { outputs, env: vars, findings };
}
