import type { V1Secret } from '@kubernetes/client-node';
import { z } from 'zod';
import { keys } from '../contract/keys.js';
import { isDnsSubdomain } from '../contract/names.js';
import type { Denial } from '../contract/decision.js';
import type { CredentialProblem } from './credentialInfo.js';
import type { CredentialType } from './credentialType.js';
import { parseLabelSelector } from './labelSelector.js';
import { envPrefixRule, isEnvPrefix } from './formatChecks.js';
import { problemsFromZod } from './problemsFromZod.js';
import { keysItHas, parseEnvMapping, unknownMappedKeys } from './rules/envMapping.js';
import { mountPathProblem } from './rules/mountPath.js';
import { checkRenderAnnotations } from './renderAnnotations.js';
import { credentialTypeNames, credentialTypes } from './registry.js';
import { decodeSecretData } from './secretData.js';

const scopes = ['namespace', 'cluster'];

function allowedKeys(type: CredentialType): string[] {
  return type.schema instanceof z.ZodObject ? Object.keys(type.schema.shape) : [];
}

/**
 * A cluster-scoped credential says where it is mirrored; without a selector it would reach nowhere
 * (or, read as "everything", everywhere), so both are refused and "every namespace" must be spelled.
 * Whether the Secret is in the injector's namespace is for the mirror to judge: it knows that namespace.
 */
function checkNamespaceSelector(text: string | undefined): CredentialProblem[] {
  if (text === undefined || text.trim() === '') {
    return [{
      rule: 'missing-namespace-selector',
      message:
        `scope "cluster" needs annotation ${keys.namespaceSelector}, a label selector of namespaces such as ` +
        `"team=ml" ("kubernetes.io/metadata.name" selects every namespace)`,
    }];
  }
  const parsed = parseLabelSelector(text);
  if ('selector' in parsed) return [];
  return [{ rule: 'bad-namespace-selector', message: `annotation ${keys.namespaceSelector} is not a label selector: ${parsed.error}` }];
}

function checkMetadata(secret: V1Secret, type: CredentialType): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  // The API server refuses such a name anyway; offline, `validate` is the first to see it.
  const name = secret.metadata?.name;
  if (name !== undefined && !isDnsSubdomain(name)) {
    problems.push({ rule: 'bad-name', message: 'the Secret name must be a DNS-1123 subdomain: lower case letters, digits, "-" and "."' });
  }
  const scope = secret.metadata?.labels?.[keys.scopeLabel];
  if (scope !== undefined && !scopes.includes(scope)) {
    problems.push({ rule: 'bad-scope', message: `label ${keys.scopeLabel} must be "namespace" or "cluster"` });
  }
  if (scope === 'cluster') problems.push(...checkNamespaceSelector(secret.metadata?.annotations?.[keys.namespaceSelector]));
  const secretType = secret.type ?? 'Opaque';
  if (type.secretType && secretType !== type.secretType) {
    problems.push({ rule: 'wrong-secret-type', message: `type ${type.name} needs Secret type ${type.secretType}, not ${secretType}` });
  }
  const mountPath = secret.metadata?.annotations?.[keys.mountPath];
  const mountProblem = mountPath === undefined ? undefined : mountPathProblem(mountPath);
  if (mountProblem) problems.push({ rule: 'bad-mount-path', message: `annotation ${keys.mountPath} ${mountProblem}` });
  const envPrefix = secret.metadata?.annotations?.[keys.envPrefix];
  if (envPrefix !== undefined && type.envPrefix && !isEnvPrefix(envPrefix)) {
    problems.push({ rule: 'bad-env-prefix', message: `annotation ${keys.envPrefix} ${envPrefixRule}` });
  }
  return problems;
}

/**
 * The owner's `credinject.dev/env`: a mapping that parses, over keys the Secret has, on a type that
 * sets env from its keys. Checked when the Secret is written, so no pod is the first to find out.
 */
function checkOwnerEnvMapping(text: string | undefined, type: CredentialType, dataKeys: readonly string[]): CredentialProblem[] {
  if (text === undefined) return [];
  if (!type.envFromKeys) {
    return [{ rule: 'bad-env-mapping', message: `annotation ${keys.env} does not apply: type ${type.name} sets no env from its keys; remove it` }];
  }
  const parsed = parseEnvMapping(text);
  if (!parsed.ok) return parsed.problems.map((problem) => ({ rule: 'bad-env-mapping', message: `annotation ${keys.env} ${problem}` }));
  return unknownMappedKeys(parsed.mapping, dataKeys).map((key) => ({
    key,
    rule: 'unknown-key',
    message: `annotation ${keys.env} maps key "${key}", which the Secret does not have (${keysItHas([...dataKeys].sort())})`,
  }));
}

/**
 * Check a credential Secret against its type's data contract. Problems name keys and rules and say
 * how to fix them; no value of the Secret appears in any of them.
 */
export function validateCredential(secret: V1Secret): CredentialProblem[] {
  const typeName = secret.metadata?.labels?.[keys.typeLabel];
  const type = typeName === undefined ? undefined : credentialTypes.get(typeName);
  if (!type) {
    return [{ rule: 'unknown-type', message: `label ${keys.typeLabel} must be one of ${credentialTypeNames.join(', ')}` }];
  }
  const decoded = decodeSecretData(secret);
  const text: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of decoded.values) text[key] = value.toString('utf8');
  const shape = type.schema.safeParse(text);
  const annotations = secret.metadata?.annotations ?? {};
  return [
    ...checkMetadata(secret, type),
    ...decoded.problems,
    ...(shape.success ? [] : problemsFromZod(type.name, shape.error.issues, allowedKeys(type))),
    ...(type.checkValues?.(text, annotations) ?? []),
    ...checkRenderAnnotations(annotations, Object.keys(text)),
    ...checkOwnerEnvMapping(annotations[keys.env], type, Object.keys(text)),
  ];
}

/**
 * What a valid credential Secret says that its type ignores: not a reason to refuse it, but worth
 * saying where it is written (the Secret webhook's warnings, `credinject validate`).
 */
export function credentialWarnings(secret: V1Secret): string[] {
  const type = credentialTypes.get(secret.metadata?.labels?.[keys.typeLabel] ?? '');
  const name = secret.metadata?.name ?? '<unnamed>';
  if (type && !type.envPrefix && secret.metadata?.annotations?.[keys.envPrefix] !== undefined) {
    return [`credential "${name}": annotation ${keys.envPrefix} is ignored, type ${type.name} takes no env prefix`];
  }
  return [];
}

/** One line per problem, prefixed by its key, for denials and CLI output. */
export function describeProblems(problems: readonly CredentialProblem[]): string {
  return problems.map((problem) => problem.message).join('; ');
}

/** The denial the validating webhook returns for an invalid credential Secret. */
export function credentialDenial(secretName: string, problems: readonly CredentialProblem[]): Denial {
  return { reason: 'InvalidCredential', message: `credential "${secretName}" is invalid: ${describeProblems(problems)}` };
}
