import { z } from 'zod';
import { isRecord } from '../contract/json.js';
import type { KindInfo } from '../contract/workloadKinds.js';
import { requestsInjection } from './injectionRequest.js';
import { effectiveRequest, isRequestKey, valueAt } from './workloadAnnotations.js';

/**
 * The shape of the fields the engine reads, checked before it reads them. A real API server only
 * sends objects of this shape (its decoder types every field), but a YAML slip (`inject: true`,
 * `env: oops`) reaches the CLI and a forged review reaches the webhook: either gets a denial naming
 * the field instead of a crash. Only types are checked, never whether a field is required by
 * Kubernetes (at the mutating webhook a container may still lack its name: the API server's own
 * validation, after us, says so). The objects themselves are used as they are: nothing is stripped.
 */

/** YAML's empty value (`env:`) is null, which the API server reads as absent, and so do we. */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const optionalString = z.string().nullish();
const integer = z.number().int().nullish();

const EnvVar = z.looseObject({ name: optionalString });
const VolumeMount = z.looseObject({ name: optionalString, mountPath: z.string() });
const Container = z.looseObject({ name: optionalString, env: list(EnvVar), volumeMounts: list(VolumeMount), restartPolicy: optionalString });
const Named = z.looseObject({ name: optionalString });

/** `spec` of a Pod or pod template, as far as injection reads and writes it. */
export const PodSpecSchema = z
  .looseObject({
    containers: list(Container),
    initContainers: list(Container),
    volumes: list(Named),
    imagePullSecrets: list(Named),
    securityContext: z.looseObject({ fsGroup: integer, runAsUser: integer, runAsGroup: integer }).nullish(),
    restartPolicy: optionalString,
    os: z.looseObject({ name: optionalString }).nullish(),
  })
  .nullish();

/** `metadata`: annotations a map, and every credinject request annotation in it a string. */
export const MetadataSchema = z
  .looseObject({ annotations: z.record(z.string(), z.unknown()).nullish() })
  .superRefine((metadata, ctx) => {
    for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
      if (isRequestKey(key) && typeof value !== 'string') ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['annotations', key] });
    }
  })
  .nullish();

type PathStep = PropertyKey;

/** `spec.containers[1].env`, `metadata.annotations["credinject.dev/inject"]`: the path as a user reads it. */
export function fieldPath(path: readonly PathStep[]): string {
  return path
    .map((step, index) => {
      if (typeof step === 'number') return `[${step}]`;
      const text = String(step);
      if (/^[A-Za-z_$][\w$]*$/.test(text)) return index === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
}

const expectations: Readonly<Record<string, string>> = {
  array: 'must be a list',
  object: 'must be an object',
  record: 'must be a map of keys to values',
  string: 'must be a string',
  number: 'must be a number',
  int: 'must be an integer',
};

/*
 * The same rules as plain predicates, for the common case: an object the API server decoded passes
 * them, and zod (which copies every object it checks, a tenth of a review's CPU) then has nothing
 * to say. Each predicate is at least as strict as its schema, so `true` means zod would find no
 * issue; on `false` zod runs and words the problems. test/engine/podShape checks the two agree.
 */
const nullish = (value: unknown): value is null | undefined => value === undefined || value === null;
const stringOrNone = (value: unknown): boolean => nullish(value) || typeof value === 'string';
const integerOrNone = (value: unknown): boolean => nullish(value) || Number.isSafeInteger(value);
const listOrNone = (value: unknown, item: (entry: unknown) => boolean): boolean => nullish(value) || (Array.isArray(value) && value.every(item));
const named = (value: unknown): value is Record<string, unknown> => isRecord(value) && stringOrNone(value['name']);
const volumeMount = (value: unknown): boolean => named(value) && typeof value['mountPath'] === 'string';
const container = (value: unknown): boolean =>
  named(value) && listOrNone(value['env'], named) && listOrNone(value['volumeMounts'], volumeMount) && stringOrNone(value['restartPolicy']);

export function podSpecWellShaped(spec: unknown): boolean {
  if (nullish(spec)) return true;
  if (!isRecord(spec)) return false;
  const security = spec['securityContext'];
  const os = spec['os'];
  return (
    listOrNone(spec['containers'], container) &&
    listOrNone(spec['initContainers'], container) &&
    listOrNone(spec['volumes'], named) &&
    listOrNone(spec['imagePullSecrets'], named) &&
    (nullish(security) || (isRecord(security) && integerOrNone(security['fsGroup']) && integerOrNone(security['runAsUser']) && integerOrNone(security['runAsGroup']))) &&
    stringOrNone(spec['restartPolicy']) &&
    (nullish(os) || (isRecord(os) && stringOrNone(os['name'])))
  );
}

export function metadataWellShaped(metadata: unknown): boolean {
  if (nullish(metadata)) return true;
  if (!isRecord(metadata)) return false;
  const annotations = metadata['annotations'];
  if (nullish(annotations)) return true;
  if (!isRecord(annotations)) return false;
  for (const key in annotations) if (isRequestKey(key) && typeof annotations[key] !== 'string') return false;
  return true;
}

/** One sentence per issue, from its code and path only: zod's own messages may describe the input. */
function sentences(schema: z.ZodType, value: unknown, at: readonly PathStep[], wellShaped: (value: unknown) => boolean): string[] {
  if (wellShaped(value)) return [];
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = fieldPath([...at, ...issue.path]);
    const rule = issue.code === 'invalid_type' ? (expectations[issue.expected] ?? `must be of type ${issue.expected}`) : 'is malformed';
    const quote = issue.path.at(-2) === 'annotations' && issue.code === 'invalid_type' ? ' (quote the value in YAML)' : '';
    return `${path} ${rule}${quote}`;
  });
}

/**
 * What is wrong with the shape of a Pod or workload before the engine reads it, each problem naming
 * its field (`spec.template.spec.containers[0].env must be a list`). Annotations are always checked
 * (they decide whether the object asks for anything); the pod spec only when it asks, since an
 * object that asks for nothing is passed through untouched.
 */
export function objectShapeProblems(object: unknown, info: KindInfo): string[] {
  if (!isRecord(object)) return ['the object must be a map of fields'];
  const root = object;
  const templatePath = [...info.templatePath];
  const template = templatePath.length === 0 ? root : valueAt(root, templatePath);
  const problems = templatePath.length === 0 ? [] : sentences(MetadataSchema, root['metadata'], ['metadata'], metadataWellShaped);
  problems.push(...sentences(MetadataSchema, valueAt(template, ['metadata']), [...templatePath, 'metadata'], metadataWellShaped));
  if (problems.length > 0 || !requestsInjection(effectiveRequest(root, info.kind))) return problems;
  return sentences(PodSpecSchema, valueAt(template, ['spec']), [...templatePath, 'spec'], podSpecWellShaped);
}
