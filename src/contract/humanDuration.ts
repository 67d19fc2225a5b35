/**
 * kubectl's AGE column: k8s.io/apimachinery `duration.HumanDuration`, rule for rule, so a
 * credential's age reads like `kubectl get secret`'s (`45s`, `5m30s`, `3h12m`, `3d5h`, `2y30d`).
 * Two units while the first is small, one unit after; a duration up to two seconds below zero is
 * clock skew between machines and reads as `0s`.
 */
export function humanDuration(ms: number): string {
  // Go converts the float seconds with int(): truncation toward zero.
  const seconds = Math.trunc(ms / 1000);
  if (!Number.isFinite(ms) || seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** How long ago `since` was, kubectl style; `<unknown>` without a time. */
export function ageOf(since: string | undefined, now: Date): string {
  if (since === undefined) return '<unknown>';
  const then = new Date(since).getTime();
  return Number.isNaN(then) ? '<unknown>' : humanDuration(now.getTime() - then);
}
