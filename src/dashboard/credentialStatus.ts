import { defaultExpiryWarningMs, expiryState, expiryStatus } from '../credentials/expiry.js';
import type { DashboardCredential } from './dashboardCredential.js';
import type { Propagation } from './propagation.js';

export type StatusState = 'valid' | 'issues' | 'expired' | 'expires-soon' | 'propagating';

/** A credential's status as the table shows it: a state (for colour and filters) and words. */
export interface CredentialStatus {
  state: StatusState;
  /** The words shown, never colour alone: `valid`, `issues found`, `expires in 5d`, … */
  text: string;
  /** The first problem, or what is propagating; empty when valid. */
  detail: string;
}

/**
 * `expires soon` within the operator's default warning window (7d, as `list` and admission warn).
 * Worst first: broken rules, then expiry (an expired credential breaks every new pod), then copies
 * not yet current (transient; the mirror controller catches up), else valid.
 */
export function credentialStatus(
  credential: DashboardCredential,
  propagation: Propagation | undefined,
  now: Date,
  warningMs: number = defaultExpiryWarningMs,
): CredentialStatus {
  const { problems, expiresAt } = credential.info;
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return { state: 'issues', text: 'issues found', detail: `${problems[0]!.message}${more}` };
  }
  const expiry = expiryState(expiresAt, now, warningMs);
  if (expiry.state !== 'valid') {
    const text = expiryStatus(expiresAt, now, warningMs) ?? expiry.state;
    return expiry.state === 'expired'
      ? { state: 'expired', text, detail: `expired at ${expiresAt}` }
      : { state: 'expires-soon', text, detail: `expires at ${expiresAt}` };
  }
  if (propagation && propagation.pending > 0) {
    const total = propagation.copies.length;
    return {
      state: 'propagating',
      text: 'propagating',
      detail: `${total - propagation.pending} of ${total} copies current`,
    };
  }
  return { state: 'valid', text: 'valid', detail: '' };
}
