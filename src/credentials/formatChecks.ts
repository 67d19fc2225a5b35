import { X509Certificate, createPrivateKey } from 'node:crypto';

/**
 * Value checks shared by credential types. They answer yes/no and never return the parser's own
 * error text, which can quote the value.
 */
export function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Every PEM block in the text parses as an X.509 certificate, and there is at least one. */
export function isPemCertificate(text: string): boolean {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

/** A PEM private key that node:crypto can load (PKCS#1, PKCS#8, SEC1). */
export function isPemPrivateKey(text: string): boolean {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return false;
  try {
    createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

/** An SSH private key block: PEM or OpenSSH format (node:crypto cannot parse the latter). */
export function looksLikeSshPrivateKey(text: string): boolean {
  return /-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----[\s\S]+-----END (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----/.test(text);
}

/** Parse JSON without ever surfacing the parser's message (it quotes the input). */
export function parseJsonQuietly(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** POSIX-style env name, the form shells and most runtimes accept. */
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An env prefix (`credinject.dev/env-prefix`, `env-prefix.credinject.dev/<credential>`): empty, or the start of an env name. */
export function isEnvPrefix(text: string): boolean {
  return text === '' || envNamePattern.test(text);
}

/** What `isEnvPrefix` asks, for messages. */
export const envPrefixRule = 'must be a valid env var prefix (letters, digits, _; not starting with a digit), e.g. "MLFLOW_"';
