import { isRecord } from '../contract/json.js';
import type { Operation } from 'fast-json-patch';

/** RFC 6901: `~` → `~0`, `/` → `~1` (annotation keys like `credinject.dev/status`). */
export function escapePointer(segment: string): string {
  // Most keys have neither: no regex run, no new string.
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function diffInto(before: unknown, after: unknown, path: string, ops: Operation[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    // Paths are built only for what differs: an unchanged element costs a comparison.
    for (let i = 0; i < common; i += 1) if (before[i] !== after[i]) diffInto(before[i], after[i], `${path}/${i}`, ops);
    // Remove from the end first so earlier indexes stay valid; append in order.
    for (let i = before.length - 1; i >= after.length; i -= 1) ops.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = common; i < after.length; i += 1) ops.push({ op: 'add', path: `${path}/${i}`, value: after[i] });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key)) ops.push({ op: 'remove', path: `${path}/${escapePointer(key)}` });
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) ops.push({ op: 'add', path: `${path}/${escapePointer(key)}`, value: after[key] });
      else if (before[key] !== after[key]) diffInto(before[key], after[key], `${path}/${escapePointer(key)}`, ops);
    }
    return;
  }
  if (before !== after) ops.push({ op: 'replace', path, value: after });
}

/**
 * The JSON Patch from `before` to `after`. Subtrees shared by reference are skipped without a look,
 * so a copy-on-write result costs only what changed; added values are not cloned (the patch is
 * serialised at once). Arrays diff by index, as the API server's json-patch applies them: appends
 * add at the end, and a missing array or object is added whole.
 */
export function jsonDiff(before: unknown, after: unknown): Operation[] {
  const ops: Operation[] = [];
  diffInto(before, after, '', ops);
  return ops;
}
