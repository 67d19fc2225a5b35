import { mkdir, readdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

let version = 0;

/** A timestamped dir name as kubelet's atomic writer makes them: `..2026_12_01_07_30_00.123456789`. */
function versionName(): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-T:]/g, '_');
  return `..${stamp}.${process.pid}${String(++version).padStart(4, '0')}`;
}

/**
 * Publish `files` into `dir` the way kubelet's atomic writer does: write a new timestamped dir,
 * point `..data_tmp` at it, rename that over `..data` (the atomic step), add the per-key links,
 * then remove the previous version and links of keys that went away.
 */
export async function publishVolume(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const before = await readdir(dir);
  const name = versionName();
  await mkdir(join(dir, name));
  for (const [key, value] of Object.entries(files)) {
    // A nested path (Secret volume `items` with `path: certs/ca.crt`) is a directory in the version.
    await mkdir(dirname(join(dir, name, key)), { recursive: true });
    await writeFile(join(dir, name, key), value, { mode: 0o644 });
  }
  await symlink(name, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  // One link per top-level entry of the version: `certs -> ..data/certs` for nested paths.
  const tops = new Set(Object.keys(files).map((key) => key.split('/')[0] as string));
  for (const top of tops) {
    if (!before.includes(top)) await symlink(join('..data', top), join(dir, top));
  }
  for (const entry of before) {
    if (entry.startsWith('..') && entry !== '..data') await rm(join(dir, entry), { recursive: true, force: true });
    else if (!entry.startsWith('..') && !tops.has(entry)) await unlink(join(dir, entry));
  }
  return name;
}

/** Poll `probe` until it returns a value other than undefined, or fail after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
