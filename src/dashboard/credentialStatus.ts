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

/** How long before its expiry a credential shows `expires soon` (the admission warning's window). */
export const expiresSoonWithinMs = 30 * 24 * 3600 * 1000;

/** `5d`, `3h`, `12m`: the largest unit that keeps the number small. */
export function remaining(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

/**
 * Worst first: broken rules, then expiry (an expired credential breaks every new pod), then copies
 * not yet current (transient; the mirror controller catches up), else valid.
 */
export function credentialStatus(credential: DashboardCredential, propagation: Propagation | undefined, now: Date): CredentialStatus {
  const { problems, expiresAt } = credential.info;
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return { state: 'issues', text: 'issues found', detail: `${problems[0]!.message}${more}` };
  }
  const expiry = expiresAt === undefined ? NaN : new Date(expiresAt).getTime();
  if (Number.isFinite(expiry)) {
    const left = expiry - now.getTime();
    if (left <= 0) return { state: 'expired', text: 'expired', detail: `expired at ${expiresAt}` };
    if (left <= expiresSoonWithinMs) return { state: 'expires-soon', text: `expires in ${remaining(left)}`, detail: `expires at ${expiresAt}` };
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
