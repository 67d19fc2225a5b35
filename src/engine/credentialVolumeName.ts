import { createHash } from 'node:crypto';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const maxLabel = 63;

/**
 * The volume name credinject uses for a credential: `credinject-<credential>[-<suffix>]` when that
 * is a valid DNS-1123 label, otherwise a shortened form with a hash of the full name, so names stay
 * deterministic (idempotent reinvocation) and distinct (`a.b` and `a-b` do not collide).
 */
export function credentialVolumeName(credential: string, suffix?: string): string {
  const plain = ['credinject', credential, suffix].filter(Boolean).join('-');
  if (plain.length <= maxLabel && dnsLabel.test(plain)) return plain;
  const hash = createHash('sha256').update(plain).digest('hex').slice(0, 10);
  const tail = suffix ? `-${suffix}-${hash}` : `-${hash}`;
  const room = maxLabel - 'credinject-'.length - tail.length;
  const stem = credential.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, Math.max(room, 0)).replace(/-+$/, '');
  return `credinject-${stem}${tail}`.replace(/--+/g, '-');
}
