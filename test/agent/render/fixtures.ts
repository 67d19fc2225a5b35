import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../fixtures/agent/', import.meta.url));

/** A fixture Secret's data as the agent sees it in the volume: `data` decoded, then `stringData`. */
export function secretFiles(name: string): Map<string, Buffer> {
  const secret = parse(readFileSync(`${root}secrets/${name}.yaml`, 'utf8')) as {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  const files = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {})) files.set(key, Buffer.from(value, 'base64'));
  for (const [key, value] of Object.entries(secret.stringData ?? {})) files.set(key, Buffer.from(value, 'utf8'));
  return files;
}

/** The fixture Secret's metadata.name: the credential name renderers get. */
export function secretName(name: string): string {
  const secret = parse(readFileSync(`${root}secrets/${name}.yaml`, 'utf8')) as { metadata: { name: string } };
  return secret.metadata.name;
}

/**
 * The expected output for a case. `UPDATE_GOLDEN=1` writes `actual` instead, for a deliberate
 * format change; review the diff before committing it.
 */
export function golden(file: string, actual: string): string {
  const path = `${root}golden/${file}`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}

/** A copy of a fixture's files with some keys replaced (Buffer/string) or removed (undefined). */
export function withKeys(files: ReadonlyMap<string, Buffer>, changes: Record<string, string | undefined>): Map<string, Buffer> {
  const copy = new Map(files);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) copy.delete(key);
    else copy.set(key, Buffer.from(value, 'utf8'));
  }
  return copy;
}
