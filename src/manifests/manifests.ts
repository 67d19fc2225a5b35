import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, parseAllDocuments, stringify } from 'yaml';
import { isRecord } from '../contract/json.js';

/** A manifest problem the user can fix: which file, which document, which line. */
export class ManifestError extends Error {}

const manifestFile = /\.(ya?ml|json)$/;

/**
 * Every manifest file of a directory, as `kubectl apply -f <dir>` reads it: `.yaml`, `.yml` and
 * `.json` files directly in it (not below), in name order, as one multi-document stream.
 */
async function readDirectory(path: string): Promise<string> {
  const names = (await readdir(path, { withFileTypes: true })).filter((e) => e.isFile() && manifestFile.test(e.name)).map((e) => e.name).sort();
  if (names.length === 0) throw new ManifestError(`${path} holds no .yaml, .yml or .json file`);
  const texts = await Promise.all(names.map((name) => readFile(join(path, name), 'utf8')));
  // A document separator between files: the last document of one never runs into the next file.
  return texts.map((text) => `---\n${text}\n`).join('');
}

/** Read a file, a directory of manifests, or stdin for `-`, as text. */
export async function readSource(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return (await stat(path)).isDirectory() ? await readDirectory(path) : await readFile(path, 'utf8');
    } catch (err) {
      if (err instanceof ManifestError) throw err;
      throw new ManifestError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const isList = (value: Record<string, unknown>): boolean =>
  typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);

/**
 * Aliases one document may expand, the yaml library's own default made explicit: a "billion laughs"
 * file of nested aliases would otherwise expand to gigabytes. Real manifests use a handful.
 */
const maxAliasCount = 100;

/** A document as plain JS, or a ManifestError naming it when it expands too many aliases. */
function documentValue(document: Document, where: string): unknown {
  try {
    return document.toJS({ maxAliasCount });
  } catch (err) {
    // The library says so with a ReferenceError; anything else is a bug and stays one.
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new ManifestError(`${where}: too many YAML aliases (more than ${maxAliasCount} expansions); refused as a resource exhaustion attack`);
    }
    throw err;
  }
}

/**
 * What makes two objects of a file the same object to the API server: apiVersion, kind, namespace
 * and name. Objects without a name (`generateName`) are never the same.
 */
function identityOf(object: Record<string, unknown>): string | undefined {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return undefined;
  return JSON.stringify([object.apiVersion, object.kind, metadata.namespace ?? '', metadata.name]);
}

function namespaceNote(object: Record<string, unknown>): string {
  const namespace = isRecord(object.metadata) ? object.metadata.namespace : undefined;
  return typeof namespace === 'string' ? ` in namespace ${namespace}` : '';
}

/**
 * Parse multi-document YAML into objects, flattening lists as kubectl does (`kind: List` from
 * `kubectl get -o yaml`, and the typed lists an API server returns, e.g. `SecretList`). A syntax
 * error names the document and line; the offending text is not echoed (it may be a Secret).
 * The CLI and the server's `--credentials-file` both read files through here, so a file means the
 * same to both. Two documents defining one object are refused, naming both: applied, the last
 * would win, and `inject` would silently use it.
 */
export function parseManifests(text: string, source: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  const seen = new Map<string, string>();
  const add = (object: Record<string, unknown>, where: string): void => {
    const identity = identityOf(object);
    const first = identity === undefined ? undefined : seen.get(identity);
    if (first !== undefined) {
      throw new ManifestError(`${source}: ${first} and ${where} both define ${describeObject(object)}${namespaceNote(object)}; keep one (either would silently replace the other)`);
    }
    if (identity !== undefined) seen.set(identity, where);
    objects.push(object);
  };
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new ManifestError(`${source}: document ${index + 1}${line ? `, line ${line}` : ''}: invalid YAML (${error.code})`);
    }
    const value = documentValue(document, `${source}: document ${index + 1}`);
    if (value === null || value === undefined) return;
    if (!isRecord(value)) throw new ManifestError(`${source}: document ${index + 1}: expected a Kubernetes object`);
    if (!isList(value)) return add(value, `document ${index + 1}`);
    (value.items as unknown[]).forEach((item, at) => {
      if (!isRecord(item)) throw new ManifestError(`${source}: document ${index + 1}: item ${at + 1} of the list is not a Kubernetes object`);
      add(item, `document ${index + 1} (item ${at + 1})`);
    });
  });
  return objects;
}

/** Print objects as multi-document YAML, the way `kubectl get -o yaml` separates them. */
export function formatManifests(objects: readonly unknown[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** `Kind/name` (or `Kind/generateName*`) for messages. */
export function describeObject(object: unknown): string {
  const o = object as { kind?: string; metadata?: { name?: string; generateName?: string } } | null;
  const name = o?.metadata?.name ?? (o?.metadata?.generateName ? `${o.metadata.generateName}*` : '<unnamed>');
  return `${o?.kind ?? 'Object'}/${name}`;
}
