import type { V1Secret } from '@kubernetes/client-node';
import type { CredentialProblem } from './credentialInfo.js';

/** A Secret's decoded data: `data` (base64) merged with `stringData`, which wins as on write. */
export interface SecretData {
  values: Map<string, Buffer>;
  problems: CredentialProblem[];
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decode a Secret's `data` and `stringData`; a value that is not base64 is a problem, not a throw. */
export function decodeSecretData(secret: Pick<V1Secret, 'data' | 'stringData'>): SecretData {
  const values = new Map<string, Buffer>();
  const problems: CredentialProblem[] = [];
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    const compact = String(encoded).replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !base64.test(compact)) {
      problems.push({ key, rule: 'not-base64', message: `data key "${key}" is not valid base64; put plain text in stringData instead` });
      continue;
    }
    values.set(key, Buffer.from(compact, 'base64'));
  }
  for (const [key, text] of Object.entries(secret.stringData ?? {})) {
    values.set(key, Buffer.from(String(text), 'utf8'));
  }
  return { values, problems };
}

/** Key names of a Secret without decoding anything: what the webhook's cache keeps. */
export function secretKeyNames(secret: Pick<V1Secret, 'data' | 'stringData'>): string[] {
  return [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])].sort();
}
