import type { StaleCount } from './plan.js';

/** What the rotation controller reports; implemented by the server's metrics (server/metrics.ts). */
export interface RotationMetrics {
  /** One restart patch written (`ok`) or failed (`error`). */
  countRotationRestart(kind: string, result: 'ok' | 'error'): void;
  /** One rotation held for invalid data (once per credential and data version). */
  countRotationHeld(): void;
  /**
   * How many credentials (with digests) it tracks, settled or still in their quiet period: a rotation
   * is pending while `quiet` is above 0, and a credential is known (its next change named) once counted.
   */
  setTrackedCredentials(settled: number, quiet: number): void;
  /** Replaces the stale-pod counts (the last plan's). */
  setStalePods(counts: readonly StaleCount[]): void;
}
