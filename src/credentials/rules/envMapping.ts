import { envNamePattern } from '../formatChecks.js';

/**
 * The key → env mapping of `credinject.dev/env` (the owner's, on the Secret) and
 * `env.credinject.dev/<credential>` (the pod's): `"CLEARML_API_ACCESS_KEY=access, CLEARML_API_SECRET_KEY=secret"`,
 * HPE/Pachyderm's `envVar` + `key`. Written once here so the Secret webhook and the pod webhook
 * agree on what a mapping is. Problems are phrases the caller prefixes with the annotation.
 */
export interface EnvMapping {
  /** The env var's name. */
  name: string;
  /** The Secret key its value comes from. */
  key: string;
}

export type ParsedEnvMapping = { ok: true; mapping: EnvMapping[] } | { ok: false; problems: string[] };

/** Parse a mapping; one key may feed several names, one name only one key. */
export function parseEnvMapping(text: string): ParsedEnvMapping {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return { ok: false, problems: ['maps no key; write NAME=key pairs separated by commas, e.g. "CLEARML_API_ACCESS_KEY=access"'] };
  const problems: string[] = [];
  const mapping: EnvMapping[] = [];
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = entry.slice(0, Math.max(equals, 0)).trim();
    const key = entry.slice(equals + 1).trim();
    if (equals < 0 || name === '' || key === '') {
      problems.push(`entry "${entry}" must be NAME=key`);
    } else if (!envNamePattern.test(name)) {
      problems.push(`"${name}" is not a valid env var name (letters, digits, _; not starting with a digit)`);
    } else if (mapping.some((earlier) => earlier.name === name)) {
      problems.push(`names env var ${name} twice; map each name to one key`);
    } else {
      mapping.push({ name, key });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mapping };
}

/** Keys a mapping names that are not in `available` (key names only: never a value). */
export function unknownMappedKeys(mapping: readonly EnvMapping[], available: readonly string[]): string[] {
  return [...new Set(mapping.map((entry) => entry.key).filter((key) => !available.includes(key)))];
}

/** "it has a, b, c" for messages about a key the credential lacks. */
export function keysItHas(available: readonly string[]): string {
  return available.length > 0 ? `it has ${available.join(', ')}` : 'it has no keys';
}
