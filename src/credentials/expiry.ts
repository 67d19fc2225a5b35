import { X509Certificate } from 'node:crypto';
import { humanDuration } from '../contract/humanDuration.js';

/** When a credential stops working, and which of its keys says so. Never a value. */
export interface CredentialExpiry {
  /** ISO time of the earliest expiry among the credential's certificates and tokens. */
  expiresAt: string;
  /** The data key that holds it, e.g. `tls.crt`, `ca_certificate`, `token`. */
  key: string;
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** notAfter of every certificate of a PEM bundle (a chain, a CA bundle); unreadable ones are skipped. */
function certificateExpiries(text: string): number[] {
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [];
  const times: number[] = [];
  for (const [block] of text.matchAll(pemCertificate)) {
    try {
      const time = Date.parse(new X509Certificate(block).validTo);
      if (!Number.isNaN(time)) times.push(time);
    } catch {
      // Not readable: validation reports it (without the parser's message, which can quote the input).
    }
  }
  return times;
}

function base64UrlJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The `exp` claim of a JWT (a Kubernetes ServiceAccount token, an OIDC or API token), in ms. Only
 * a value shaped like a JWT whose header is a JSON object naming an `alg` counts: a dotted host
 * name (`api.clear.ml`) is not one. The signature is not checked; the expiry is only reported.
 */
function jwtExpiry(text: string): number | undefined {
  const token = text.trim();
  if (!jwtShape.test(token)) return undefined;
  const [header, payload] = token.split('.') as [string, string];
  const head = base64UrlJson(header);
  if (typeof head !== 'object' || head === null || typeof (head as { alg?: unknown }).alg !== 'string') return undefined;
  const exp = (base64UrlJson(payload) as { exp?: unknown } | undefined)?.exp;
  // NumericDate: seconds since the epoch; beyond year 275760 a Date cannot hold it.
  return typeof exp === 'number' && Number.isFinite(exp) && Math.abs(exp) < 8.64e12 ? exp * 1000 : undefined;
}

/**
 * The earliest date a credential carries (DESIGN §1, Expiry): the notAfter of every X.509
 * certificate in any key (client and CA certificates of `kubernetes`/`oci`, `tls.crt` chains,
 * `ca.crt`, a CA in any other type) and the `exp` of every key that holds a JWT. Undefined when it
 * carries none. Read from the decoded values when a Secret arrives; only the date and key are kept.
 */
export function credentialExpiry(values: ReadonlyMap<string, Buffer | string>): CredentialExpiry | undefined {
  let earliest: { time: number; key: string } | undefined;
  for (const [key, raw] of values) {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    const jwt = jwtExpiry(text);
    for (const time of jwt === undefined ? certificateExpiries(text) : [jwt]) {
      if (!earliest || time < earliest.time || (time === earliest.time && key < earliest.key)) earliest = { time, key };
    }
  }
  return earliest && { expiresAt: new Date(earliest.time).toISOString(), key: earliest.key };
}

/** The operator's warning window when nothing sets one (`--expiry-warning`). */
export const defaultExpiryWarningMs = 7 * 24 * 60 * 60 * 1000;

/** How close a credential is to its expiry, for statuses, warnings and denials. */
export type ExpiryState = { state: 'expired'; since: number } | { state: 'expiring'; within: number } | { state: 'valid' };

export function expiryState(expiresAt: string | undefined, now: Date, warningMs: number): ExpiryState {
  if (expiresAt === undefined) return { state: 'valid' };
  const left = Date.parse(expiresAt) - now.getTime();
  if (left <= 0) return { state: 'expired', since: -left };
  return left <= warningMs ? { state: 'expiring', within: left } : { state: 'valid' };
}

/** `expired`, `expires in 5d`, or undefined when the expiry is beyond the window (or there is none). */
export function expiryStatus(expiresAt: string | undefined, now: Date, warningMs = defaultExpiryWarningMs): string | undefined {
  const state = expiryState(expiresAt, now, warningMs);
  if (state.state === 'expired') return 'expired';
  if (state.state === 'expiring') return `expires in ${humanDuration(state.within)}`;
  return undefined;
}
