import { createHash } from 'node:crypto';
import { isDnsLabel } from '../contract/names.js';

const maxLabel = 63;
/** Suffixes of the volumes a credential may have besides its Secret volume. */
const suffixes = ['rendered'] as const;

/**
 * The volume name credinject uses for a credential: `credinject-<credential>[-<suffix>]` when that
 * is a valid DNS-1123 label, otherwise a shortened form with a hash of the full name, so names stay
 * deterministic (idempotent reinvocation) and distinct (`a.b` and `a-b` do not collide). A credential
 * whose own name ends in `-<suffix>` takes the hashed form too: plain, `x-rendered`'s Secret volume
 * would be `x`'s rendered volume.
 */
export function credentialVolumeName(credential: string, suffix?: (typeof suffixes)[number]): string {
  const plain = ['credinject', credential, suffix].filter(Boolean).join('-');
  const lookalike = suffix === undefined && suffixes.some((known) => credential.endsWith(`-${known}`));
  if (isDnsLabel(plain) && !lookalike) return plain;
  // `a.b` + `rendered` and `a.b-rendered` share a `plain`: hash the suffix after a `/`, which no Secret name holds.
  const hash = createHash('sha256').update(suffix === undefined ? plain : `credinject-${credential}/${suffix}`).digest('hex').slice(0, 10);
  const tail = suffix ? `-${suffix}-${hash}` : `-${hash}`;
  const room = maxLabel - 'credinject-'.length - tail.length;
  const stem = credential.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return `credinject-${stem}${tail}`.replace(/--+/g, '-');
}
