import { humanDuration } from '../contract/humanDuration.js';
import type { Decision } from '../contract/decision.js';
import { shortWarning } from '../contract/warnings.js';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { defaultExpiryWarningMs, expiryState } from '../credentials/expiry.js';

/** What the operator decided about credentials near or past their expiry (`--expiry-warning`, `--deny-expired`). */
export interface ExpiryPolicy {
  /** Warn when a Pod gets a credential that expires within this many ms. */
  warningMs: number;
  /** Refuse a Pod that would get an expired credential, instead of warning. */
  denyExpired: boolean;
}

export const defaultExpiryPolicy: ExpiryPolicy = { warningMs: defaultExpiryWarningMs, denyExpired: false };

/**
 * Adds expiry warnings (or, with `denyExpired`, a denial) to the decision for a Pod that is being
 * injected: a credential that expires soon is worth a line at `kubectl apply` and in the pod's
 * Events, an expired one makes the pod fail at its first call. Only the credentials that went into
 * the Pod count, as the engine reported them; the messages name the credential, key and date.
 */
export function checkExpiry(decision: Decision, namespace: string, credentials: CredentialLookup, policy: ExpiryPolicy, now: Date): Decision {
  if (decision.denial || !decision.injected?.length) return decision;
  const warnings: string[] = [];
  const expired: string[] = [];
  for (const { name } of decision.injected) {
    const info = credentials.get(namespace, name);
    if (!info?.expiresAt) continue;
    const state = expiryState(info.expiresAt, now, policy.warningMs);
    const where = `key "${info.expiryKey}", ${info.expiresAt}`;
    if (state.state === 'expired') {
      expired.push(`credential "${name}" expired ${humanDuration(state.since)} ago (${where})`);
    } else if (state.state === 'expiring') {
      warnings.push(shortWarning(`credential "${name}" expires in ${humanDuration(state.within)} (${where})`));
    }
  }
  if (expired.length > 0 && policy.denyExpired) {
    return { patch: [], warnings: [], denial: { reason: 'CredentialExpired', message: `${expired.join('; ')}: renew it before the pod can start` } };
  }
  if (warnings.length === 0 && expired.length === 0) return decision;
  return { ...decision, warnings: [...decision.warnings, ...expired.map((text) => shortWarning(`${text}; renew it`)), ...warnings] };
}
