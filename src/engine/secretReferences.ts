import { isRecord } from '../contract/json.js';
import { kindInfo, type UserKind } from '../contract/workloadKinds.js';

/** How a pod spec reaches a Secret without asking credinject (docs/reference.md, "Direct references"). */
export type ReferenceVia = 'env' | 'envFrom' | 'volume' | 'projected' | 'imagePullSecrets';

/** One direct reference to a Secret in a pod spec, for policy messages and rotation. */
export interface SecretReference {
  /** The Secret's name. */
  name: string;
  via: ReferenceVia;
  /** The field as Kubernetes names it, from the object's root: `spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef`. */
  path: string;
}

/**
 * Called once per reference. `path` builds the field path only when asked: the informers call this
 * for every object of the cluster and need names only. `keys` are the data keys the reference
 * reads; undefined means all of them (envFrom, a volume without `items`, a pull secret).
 */
type Visit = (name: string, via: ReferenceVia, path: () => string, keys?: string[]) => void;

const containerLists = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** A Secret name as the API server would accept it in a reference; anything else is ignored. */
function secretName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= 253 ? value : undefined;
}

/** The entries of an untrusted array; a value of any other shape has none. */
function entries(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The keys a volume's `items` list, or undefined (every key) when it lists none. */
function itemKeys(items: unknown): string[] | undefined {
  if (!Array.isArray(items) || items.length === 0) return undefined;
  return items.flatMap((item) => (isRecord(item) && typeof item.key === 'string' ? [item.key] : []));
}

function visitContainer(container: unknown, at: () => string, visit: Visit): void {
  if (!isRecord(container)) return;
  entries(container.env).forEach((env, i) => {
    const ref = isRecord(env) && isRecord(env.valueFrom) ? env.valueFrom.secretKeyRef : undefined;
    const name = isRecord(ref) ? secretName(ref.name) : undefined;
    if (name) visit(name, 'env', () => `${at()}.env[${i}].valueFrom.secretKeyRef`, isRecord(ref) && typeof ref.key === 'string' ? [ref.key] : []);
  });
  entries(container.envFrom).forEach((source, i) => {
    const name = isRecord(source) && isRecord(source.secretRef) ? secretName(source.secretRef.name) : undefined;
    if (name) visit(name, 'envFrom', () => `${at()}.envFrom[${i}].secretRef`);
  });
}

function visitVolume(volume: unknown, at: () => string, visit: Visit): void {
  if (!isRecord(volume)) return;
  const secret = isRecord(volume.secret) ? secretName(volume.secret.secretName) : undefined;
  if (secret) visit(secret, 'volume', () => `${at()}.secret`, itemKeys(isRecord(volume.secret) ? volume.secret.items : undefined));
  if (!isRecord(volume.projected)) return;
  entries(volume.projected.sources).forEach((source, i) => {
    const projected = isRecord(source) && isRecord(source.secret) ? source.secret : undefined;
    const name = projected ? secretName(projected.name) : undefined;
    if (name) visit(name, 'projected', () => `${at()}.projected.sources[${i}].secret`, itemKeys(projected?.items));
  });
}

/** Every direct Secret reference of a pod spec, in field order; `prefix` is the spec's own path. */
function visitPodSpec(spec: unknown, prefix: string, visit: Visit): void {
  if (!isRecord(spec)) return;
  for (const list of containerLists) {
    entries(spec[list]).forEach((container, i) => visitContainer(container, () => `${prefix}.${list}[${i}]`, visit));
  }
  entries(spec.volumes).forEach((volume, i) => visitVolume(volume, () => `${prefix}.volumes[${i}]`, visit));
  entries(spec.imagePullSecrets).forEach((ref, i) => {
    const name = isRecord(ref) ? secretName(ref.name) : undefined;
    if (name) visit(name, 'imagePullSecrets', () => `${prefix}.imagePullSecrets[${i}]`);
  });
}

function visitObject(object: unknown, kind: UserKind, visit: Visit): void {
  let node: unknown = object;
  for (const step of kindInfo(kind).templatePath) node = isRecord(node) ? node[step] : undefined;
  const template = kindInfo(kind).templatePath.join('.');
  visitPodSpec(isRecord(node) ? node.spec : undefined, template === '' ? 'spec' : `${template}.spec`, visit);
}

/**
 * Names of the Secrets a Pod or workload's pod spec references by hand (`secretKeyRef`,
 * `envFrom.secretRef`, Secret and projected volumes, `imagePullSecrets`, in containers, init and
 * ephemeral containers), each once. The usage index keeps these next to the annotation's names.
 */
export function referencedSecretNames(object: unknown, kind: UserKind): string[] {
  const names = new Set<string>();
  visitObject(object, kind, (name) => names.add(name));
  return [...names];
}

/** Every direct Secret reference of a Pod or workload with its field path, in field order. */
export function secretReferences(object: unknown, kind: UserKind): SecretReference[] {
  const found: SecretReference[] = [];
  visitObject(object, kind, (name, via, path) => found.push({ name, via, path: path() }));
  return found;
}

/** One direct reference with the data keys it reads (undefined: all of them), for the consumption map. */
export interface KeyReference {
  name: string;
  via: ReferenceVia;
  keys?: string[];
}

/** Every direct Secret reference of a Pod or workload with the keys it reads, in field order. */
export function secretKeyReferences(object: unknown, kind: UserKind): KeyReference[] {
  const found: KeyReference[] = [];
  visitObject(object, kind, (name, via, _path, keys) => found.push(keys === undefined ? { name, via } : { name, via, keys }));
  return found;
}
