/**
 * True when every field of `wanted` is present with the same value in `actual`. The API server
 * defaults fields of what we add (probe timings, imagePullPolicy, …), so "already injected" means
 * "contains what we would add", not "equals it".
 */
export function isSubset(wanted: unknown, actual: unknown): boolean {
  if (wanted === actual) return true;
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.length === actual.length && wanted.every((item, i) => isSubset(item, actual[i]));
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => value === undefined || isSubset(value, record[key]));
  }
  return false;
}
