import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The symlink kubelet's atomic writer swaps to publish a new version of a Secret volume. */
export const dataLink = '..data';

/** One consistent version of a Secret volume. */
export interface SecretVolume {
  /** Where `..data` pointed while reading (the timestamped dir, e.g. `..2026_12_01_07_30_00.1`). */
  dataTarget: string;
  /** Key → bytes of that version. */
  files: Map<string, Buffer>;
}

export type SecretVolumeResult = { ok: true; volume: SecretVolume } | { ok: false; message: string };

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** The current target of `dir/..data`, or undefined when there is no such link (yet). */
export async function readDataTarget(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, dataLink));
  } catch (err) {
    if (codeOf(err) === 'ENOENT' || codeOf(err) === 'EINVAL') return undefined;
    throw err;
  }
}

/**
 * Read every file of the version `..data` points to, straight from its timestamped dir, keyed by
 * its path in the volume: a Secret volume's `items` may put a key at a nested path
 * (`path: certs/ca.crt`), which is a directory in the version, and is read as `certs/ca.crt`.
 */
async function readVersion(dir: string, target: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const readDir = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, target, relative), { withFileTypes: true })) {
      // `..`-names are the atomic writer's bookkeeping, never a key.
      if (entry.name.startsWith('..')) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await readDir(path);
      else if (entry.isFile()) files.set(path, await readFile(join(dir, target, path)));
    }
  };
  await readDir('');
  return files;
}

/**
 * Read a Secret volume laid out by kubelet's atomic writer (`..data` → `..<timestamp>/`, and one
 * `key → ..data/key` link per key). Files are read from the timestamped dir rather than through the
 * per-key links, which follow `..data` and could mix two versions if kubelet swaps mid-read. If the
 * link moves (or the old dir vanishes) while reading, the read starts over.
 */
export async function readSecretVolume(dir: string, attempts = 5): Promise<SecretVolumeResult> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const target = await readDataTarget(dir);
    if (target === undefined) return { ok: false, message: `${dir} has no ${dataLink} link: not a Secret volume` };
    let files: Map<string, Buffer>;
    try {
      files = await readVersion(dir, target);
    } catch (err) {
      if (codeOf(err) !== 'ENOENT') return { ok: false, message: `cannot read ${dir}: ${codeOf(err) ?? 'unknown error'}` };
      // kubelet removes the old version right after a swap: read the new one. Unchanged means dangling.
      if ((await readDataTarget(dir)) !== target) continue;
      return { ok: false, message: `${dir}/${dataLink} points to ${target}, which does not exist` };
    }
    if ((await readDataTarget(dir)) === target) return { ok: true, volume: { dataTarget: target, files } };
  }
  return { ok: false, message: `${dir} kept changing while being read (${attempts} attempts)` };
}
