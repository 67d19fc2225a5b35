const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * A duration written like Go's (`168h`, `90m`, `1h30m`) or with days (`7d`), in ms; `0` is zero.
 * NaN for anything else, so a config schema names the flag that carried it.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!whole.test(trimmed)) return Number.NaN;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(part)) total += Number(amount) * units[unit!]!;
  return Math.round(total);
}
