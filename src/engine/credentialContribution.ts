import type { V1EnvVar, V1Volume } from '@kubernetes/client-node';
import type { RenderFormat } from '../contract/agentPlan.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import type { CredentialType, EnvSource } from '../credentials/credentialType.js';
import { envNamePattern } from '../credentials/formatChecks.js';
import { credentialTypes } from '../credentials/registry.js';
import { keys } from '../contract/keys.js';
import { shortWarning } from '../contract/warnings.js';
import { normalMountPath } from '../credentials/rules/mountPath.js';
import { credentialVolumeName } from './credentialVolumeName.js';
import { credentialShape, fileModeFindings, shapedEnv, shapedFileKeys } from './credentialShape.js';
import type { InjectionRequest } from './injectionRequest.js';
import { type RenderOutput, renderOutputs } from './renderOutputs.js';
import type { Finding } from '../contract/decision.js';

/** Files the agent renders for one credential, into its own emptyDir. */
export interface RenderedFiles {
  secretVolume: V1Volume;
  outputVolume: V1Volume;
  outputs: RenderOutput[];
  /** Mode of the rendered files that are not owner-only, when the pod set one (`mode.credinject.dev/`). */
  fileMode?: number;
}

/** Everything one credential adds, before it is merged into containers and checked for conflicts. */
export interface Contribution {
  credential: CredentialInfo;
  env: V1EnvVar[];
  /** Directory where the credential's files (Secret or rendered) appear in app containers. */
  mountPath: string;
  /** Secret volume mounted into app containers (file-style types). */
  fileVolume?: V1Volume;
  rendered?: RenderedFiles;
  pullSecret?: string;
}

/**
 * File modes that let the app read: with an fsGroup the group suffices, without one kubelet's files
 * are root's. A null fsGroup (YAML's empty value) is none, as the API server reads it.
 */
export function readableMode(fsGroup: number | null | undefined): number {
  return fsGroup === undefined || fsGroup === null ? 0o444 : 0o440;
}

function toEnvVar(source: EnvSource, secretName: string): V1EnvVar {
  return 'key' in source
    ? { name: source.name, valueFrom: { secretKeyRef: { name: secretName, key: source.key } } }
    : { name: source.name, value: source.value };
}

/**
 * The Secret volume of a credential, whole-directory (never `subPath`, which kubelet never refreshes).
 * Owner-only keys need `items` with their own mode, and `items` lists every key to keep the rest.
 */
function secretVolume(credential: CredentialInfo, mode: number, items?: string[], ownerOnly: readonly string[] = [], ownerOnlyMode = 0o400): V1Volume {
  const secret: NonNullable<V1Volume['secret']> = { secretName: credential.name, defaultMode: mode };
  const own = ownerOnlyMode === mode ? [] : ownerOnly;
  const listed = items ?? (own.length > 0 ? credential.keys : undefined);
  if (listed) {
    secret.items = listed.map((key) => (own.includes(key) ? { key, path: key, mode: ownerOnlyMode } : { key, path: key }));
  }
  return { name: credentialVolumeName(credential.name), secret };
}

function renderFormatsFor(type: CredentialType, requested: readonly RenderFormat[], name: string): { formats: RenderFormat[]; findings: Finding[] } {
  const formats = [...new Set([...(type.defaultRender ? [type.defaultRender] : []), ...requested])];
  const findings = formats
    .filter((format) => !type.renderFormats.includes(format))
    .map((format): Finding => ({
      reason: 'InvalidAnnotation',
      message: `credential "${name}" (type ${type.name}) cannot be rendered as ${format}; ${type.renderFormats.length > 0 ? `it renders ${type.renderFormats.join(', ')}` : 'it renders nothing'}`,
    }));
  return { formats: formats.filter((format) => type.renderFormats.includes(format)), findings };
}

/**
 * Work out what one valid credential contributes to the pod, from its type's default injection and
 * the pod's annotations (mount path and env prefix overrides, render requests).
 */
export function credentialContribution(
  credential: CredentialInfo,
  request: InjectionRequest,
  fsGroup: number | undefined,
): { contribution?: Contribution; findings: Finding[]; warnings: string[] } {
  const type = credentialTypes.get(credential.type);
  if (!type) return { findings: [{ reason: 'InvalidCredential', message: `credential "${credential.name}" has unknown type "${credential.type}"` }], warnings: [] };
  const name = credential.name;
  const secretPath = credential.annotations[keys.mountPath];
  const secretMount = secretPath === undefined ? undefined : normalMountPath(secretPath);
  const explicitMount = request.mountPaths.get(name) ?? secretMount;
  const mountPath = explicitMount ?? type.defaultMountPath?.(name) ?? `/var/run/credinject/${name}`;
  const envPrefix = type.envPrefix ? (request.envPrefixes.get(name) ?? credential.annotations[keys.envPrefix] ?? '') : '';
  const render = renderFormatsFor(type, request.render.get(name) ?? [], name);
  const spec = type.inject({ credential, mountPath, explicitMountPath: explicitMount !== undefined, envPrefix, rendered: render.formats.length > 0 });
  const { shape, findings } = credentialShape(credential, type, request);
  const env = shapedEnv(spec.env, shape);
  findings.push(
    ...env
      .filter((source) => !envNamePattern.test(source.name))
      .map((source): Finding => ({ reason: 'InvalidCredential', message: `credential "${name}" would set env "${source.name}", which is not a valid env var name; map its keys with ${keys.envFor}${name}, or use a mount path` })),
    ...fileModeFindings(credential, spec.files, shape.mode),
  );
  const contribution: Contribution = { credential, mountPath, env: env.map((source) => toEnvVar(source, name)) };
  if (spec.files) {
    const mode = shape.mode ?? (spec.files.access === 'owner-only' ? 0o400 : readableMode(fsGroup));
    contribution.fileVolume = secretVolume(credential, mode, shapedFileKeys(spec.files, credential, shape), spec.files.ownerOnlyKeys, shape.mode ?? 0o400);
  }
  if (spec.imagePullSecret) contribution.pullSecret = name;
  findings.push(...render.findings);
  if (render.formats.length > 0) {
    if (contribution.fileVolume) {
      findings.push({ reason: 'InvalidAnnotation', message: `credential "${name}" cannot be both mounted as files and rendered` });
    }
    const outputs = renderOutputs(credential, render.formats, env, mountPath);
    findings.push(...outputs.findings);
    contribution.rendered = {
      // Only the agent mounts this one; no other container of the pod sees it.
      secretVolume: secretVolume(credential, readableMode(fsGroup)),
      outputVolume: { name: credentialVolumeName(name, 'rendered'), emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      outputs: outputs.outputs,
    };
    if (shape.mode !== undefined) contribution.rendered.fileMode = shape.mode;
    contribution.env.push(...outputs.env);
  }
  if (findings.length === 0 && request.keySubsets.has(name) && injectsNothing(contribution)) {
    findings.push({ reason: 'InvalidAnnotation', message: `credential "${name}" would inject nothing: ${keys.keysFor}${name} leaves out every key it injects; list at least one of them` });
  }
  return findings.length > 0 ? { findings, warnings: [] } : { contribution, findings, warnings: ignoredOverrides(type, contribution, request) };
}

/** A subset can leave a credential with nothing to give: no env, no file, nothing rendered. */
function injectsNothing(contribution: Contribution): boolean {
  const files = contribution.fileVolume?.secret?.items;
  return contribution.env.length === 0 && (!contribution.fileVolume || files?.length === 0) && !contribution.rendered && !contribution.pullSecret;
}

/**
 * Overrides in the pod's annotations that this credential's type has no use for: said out loud, so
 * that a user who set `env-prefix.credinject.dev/aws-s3` learns it changed nothing.
 */
function ignoredOverrides(type: CredentialType, contribution: Contribution, request: InjectionRequest): string[] {
  const name = contribution.credential.name;
  const warnings: string[] = [];
  if (!type.envPrefix && request.envPrefixes.has(name)) {
    warnings.push(shortWarning(`${keys.envPrefixFor}${name} is ignored: type ${type.name} takes no env prefix`));
  }
  if (request.mountPaths.has(name) && !contribution.fileVolume && !contribution.rendered) {
    warnings.push(shortWarning(`${keys.mountPathFor}${name} is ignored: credential "${name}" (type ${type.name}) mounts no files here`));
  }
  if (request.fileModes.has(name) && !contribution.fileVolume && !contribution.rendered) {
    warnings.push(shortWarning(`${keys.modeFor}${name} is ignored: credential "${name}" (type ${type.name}) mounts no files here`));
  }
  if (type.envPrefix && request.envPrefixes.has(name) && request.envMappings.has(name)) {
    warnings.push(shortWarning(`${keys.envPrefixFor}${name} is ignored: ${keys.envFor}${name} names the variables`));
  }
  return warnings;
}
