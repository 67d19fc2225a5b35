import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** fsync a directory so a rename in it survives a crash; some filesystems refuse, which is harmless. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
  } finally {
    await handle.close();
  }
}

const tempName = (path: string, suffix: string): string => `.${basename(path)}.${suffix}.tmp`;

/**
 * Remove temp files an earlier writer of `path` left when it was killed mid-write: they may hold
 * part of a credential. Call once before the first write; a missing directory is not an error.
 */
export async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = tempName(path, '').slice(0, -'.tmp'.length);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(join(dir, name), { force: true })));
}

/**
 * Replace `path` with `content` so readers see the old file or the new one, never a partial or
 * empty file: write a temp file in the same directory (rename is only atomic within a filesystem),
 * fsync it, give it its final mode, rename it over `path`, then fsync the directory.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode: number): Promise<void> {
  const dir = dirname(path);
  // Dot-prefixed so globs in the app container skip it; random so two writers never share it.
  const temp = join(dir, tempName(path, randomBytes(6).toString('hex')));
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content);
      // chmod before rename: the file is never visible under `path` with another mode.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDir(dir);
}
