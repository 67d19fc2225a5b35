import type { V1Secret } from '@kubernetes/client-node';
import { isRecord } from '../contract/json.js';
import type { CredentialProblem } from './credentialInfo.js';

/** A Secret's decoded data: `data` (base64) merged with `stringData`, which wins as on write. */
export interface SecretData {
  values: Map<string, Buffer>;
  problems: CredentialProblem[];
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

type DataField = 'data' | 'stringData';

/**
 * The entries of `data` or `stringData` when it is a map, else none. A scalar is not read as a map:
 * `Object.entries` of a string would make keys "0", "1", … of it, one per character of the value.
 */
function mapEntries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

/** `data` or `stringData` that is there but not a map: a problem that names the field, never its value. */
function mapProblem(secret: Partial<Record<DataField, unknown>>, field: DataField): CredentialProblem[] {
  const value = secret[field];
  if (value === undefined || value === null || isRecord(value)) return [];
  return [{ rule: 'not-a-map', message: `${field} must be a map of keys to values` }];
}

/** The value of a key must be text; YAML reads `port: 5432` or `tls: true` as a number or a boolean. */
function notText(field: DataField, key: string): CredentialProblem {
  return { key, rule: 'not-a-string', message: `${field} key "${key}" must be a string; quote the value in YAML` };
}

/**
 * Decode a Secret's `data` and `stringData`; a value that is not base64, not a string, or a field
 * that is not a map is a problem, not a throw. Problems name keys and fields, never values.
 */
export function decodeSecretData(secret: Pick<V1Secret, DataField>): SecretData {
  const values = new Map<string, Buffer>();
  const fields = secret as Partial<Record<DataField, unknown>>;
  const problems: CredentialProblem[] = [...mapProblem(fields, 'data'), ...mapProblem(fields, 'stringData')];
  for (const [key, encoded] of mapEntries(fields.data)) {
    if (typeof encoded !== 'string') {
      problems.push(notText('data', key));
      continue;
    }
    const compact = encoded.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !base64.test(compact)) {
      problems.push({ key, rule: 'not-base64', message: `data key "${key}" is not valid base64; put plain text in stringData instead` });
      continue;
    }
    values.set(key, Buffer.from(compact, 'base64'));
  }
  for (const [key, text] of mapEntries(fields.stringData)) {
    if (typeof text !== 'string') {
      problems.push(notText('stringData', key));
      continue;
    }
    values.set(key, Buffer.from(text, 'utf8'));
  }
  return { values, problems };
}

/** Key names of a Secret without decoding anything: what the webhook's cache keeps. */
export function secretKeyNames(secret: Pick<V1Secret, DataField>): string[] {
  const fields = secret as Partial<Record<DataField, unknown>>;
  return [...new Set([...mapEntries(fields.data), ...mapEntries(fields.stringData)].map(([key]) => key))].sort();
}
