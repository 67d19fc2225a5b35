import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';

/** A manifest problem the user can fix: which file, which document, which line. */
export class ManifestError extends Error {}

/** Read a file (or stdin for `-`) as text. */
export async function readSource(path: string): Promise<string> {
  if (path !== '-') {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new ManifestError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parse multi-document YAML into objects, flattening `List` kinds as kubectl does. A syntax error
 * names the document and line; the offending text is not echoed (it may be a Secret).
 */
export function parseManifests(text: string, source: string): unknown[] {
  const objects: unknown[] = [];
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new ManifestError(`${source}: document ${index + 1}${line ? `, line ${line}` : ''}: invalid YAML (${error.code})`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ManifestError(`${source}: document ${index + 1}: expected a Kubernetes object`);
    }
    const items = (value as { kind?: unknown; items?: unknown }).items;
    if ((value as { kind?: unknown }).kind === 'List' && Array.isArray(items)) objects.push(...items);
    else objects.push(value);
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
