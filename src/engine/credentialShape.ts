import type { Finding } from '../contract/decision.js';
import { keys } from '../contract/keys.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import type { CredentialType, EnvSource, FileSpec } from '../credentials/credentialType.js';
import { type EnvMapping, keysItHas, parseEnvMapping, unknownMappedKeys } from '../credentials/rules/envMapping.js';
import { octal } from '../credentials/rules/fileMode.js';
import type { InjectionRequest } from './injectionRequest.js';

/**
 * What of a credential goes in, beyond its type's defaults: only some keys (`keys.credinject.dev/`),
 * env names chosen per key (the pod's `env.credinject.dev/`, else the owner's `credinject.dev/env`),
 * and the mode of its files (`mode.credinject.dev/`).
 */
export interface CredentialShape {
  subset?: string[];
  mapping?: EnvMapping[];
  mode?: number;
}

/** The widest mode owner-only files may get: ssh refuses keys others can read, a TLS key must not reach others. */
const sshWidest = 0o600;
const privateKeyWidest = 0o640;

/** The owner's mapping; a bad one made the credential invalid already, so here it reads as none. */
function ownerMapping(credential: CredentialInfo): EnvMapping[] | undefined {
  const text = credential.annotations[keys.env];
  const parsed = text === undefined ? undefined : parseEnvMapping(text);
  return parsed?.ok ? parsed.mapping : undefined;
}

/**
 * Read the shape the pod asks for one credential and check it against the credential's keys and
 * type. Each finding names the annotation and the credential; key names appear, values never do.
 */
export function credentialShape(credential: CredentialInfo, type: CredentialType, request: InjectionRequest): { shape: CredentialShape; findings: Finding[] } {
  const name = credential.name;
  const findings: Finding[] = [];
  const deny = (message: string) => findings.push({ reason: 'InvalidAnnotation', message });
  const shape: CredentialShape = {};
  const subset = request.keySubsets.get(name);
  if (subset) {
    const unknown = subset.filter((key) => !credential.keys.includes(key));
    for (const key of unknown) deny(`${keys.keysFor}${name} names key "${key}", which credential "${name}" does not have (${keysItHas(credential.keys)})`);
    if (type.name === 'docker-registry') deny(`${keys.keysFor}${name} does not apply: credential "${name}" (type docker-registry) is an image pull secret, used whole; remove it`);
    shape.subset = subset;
  }
  const podMapping = request.envMappings.get(name);
  if (podMapping) {
    if (!type.envFromKeys) deny(`${keys.envFor}${name} does not apply: credential "${name}" (type ${type.name}) sets no env from its keys; remove it`);
    for (const key of unknownMappedKeys(podMapping, credential.keys)) deny(`${keys.envFor}${name} maps key "${key}", which credential "${name}" does not have (${keysItHas(credential.keys)})`);
    for (const key of subset ? unknownMappedKeys(podMapping, subset).filter((key) => credential.keys.includes(key)) : []) {
      deny(`${keys.envFor}${name} maps key "${key}", which ${keys.keysFor}${name} leaves out; add it there or drop it from the mapping`);
    }
    shape.mapping = podMapping;
  } else {
    const owner = type.envFromKeys ? ownerMapping(credential) : undefined;
    // The owner maps every pod's env; a pod's subset picks among the mapped keys.
    if (owner) shape.mapping = subset ? owner.filter((entry) => subset.includes(entry.key)) : owner;
  }
  const mode = request.fileModes.get(name);
  if (mode !== undefined) shape.mode = mode;
  return { shape, findings };
}

/**
 * The env a credential sets once shaped: a mapping replaces the names its type gives its keys (fixed
 * values such as a file path stay), and a subset keeps only the env of the keys it lists.
 */
export function shapedEnv(env: readonly EnvSource[], shape: CredentialShape): EnvSource[] {
  const fixed = env.filter((source) => !('key' in source));
  const fromKeys = shape.mapping ? shape.mapping.map(({ name, key }) => ({ name, key })) : env.filter((source) => 'key' in source);
  const kept = shape.subset ? fromKeys.filter((source) => shape.subset?.includes(source.key)) : fromKeys;
  return [...fixed, ...kept];
}

/** The keys a credential's Secret volume lists in `items`, or undefined for every key. */
export function shapedFileKeys(files: FileSpec, credential: CredentialInfo, shape: CredentialShape): string[] | undefined {
  if (!shape.subset) return files.keys;
  return (files.keys ?? credential.keys).filter((key) => shape.subset?.includes(key));
}

/** A mode that would open owner-only files to others denies, naming the files and the widest mode allowed. */
export function fileModeFindings(credential: CredentialInfo, files: FileSpec | undefined, mode: number | undefined): Finding[] {
  if (mode === undefined || !files) return [];
  const name = credential.name;
  if (files.access === 'owner-only' && (mode & ~sshWidest) !== 0) {
    return [{ reason: 'InvalidAnnotation', message: `${keys.modeFor}${name} ${octal(mode)} is too wide for the private keys of "${name}": ssh refuses keys others can read; use 0400 or 0600` }];
  }
  const privateKeys = (files.ownerOnlyKeys ?? []).filter((key) => credential.keys.includes(key));
  if (privateKeys.length > 0 && (mode & ~privateKeyWidest) !== 0) {
    return [{ reason: 'InvalidAnnotation', message: `${keys.modeFor}${name} ${octal(mode)} would let others read ${privateKeys.join(', ')} of "${name}"; use at most ${octal(privateKeyWidest)}, e.g. 0440` }];
  }
  return [];
}
