import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemps, writeFileAtomic } from '../../src/agent/atomicWrite.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credinject-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it.each([0o400, 0o440, 0o600])('writes the content with mode %o whatever the umask', async (mode) => {
    const path = join(dir, 'credentials');
    await writeFileAtomic(path, 'fake-content\n', mode);
    expect(await readFile(path, 'utf8')).toBe('fake-content\n');
    expect((await stat(path)).mode & 0o777).toBe(mode);
  });

  it('replaces a previous read-only file', async () => {
    const path = join(dir, 'kubeconfig');
    await writeFile(path, 'old');
    await chmod(path, 0o400);
    await writeFileAtomic(path, 'new', 0o400);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('leaves no temp file behind', async () => {
    await writeFileAtomic(join(dir, 'a'), 'x', 0o400);
    await writeFileAtomic(join(dir, 'a'), 'y', 0o400);
    expect(await readdir(dir)).toEqual(['a']);
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a'), 'x', 0o400)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('never lets a concurrent reader see an empty or partial file', async () => {
    const path = join(dir, 'big');
    // Large enough that a plain writeFile would be visible half-written.
    const versions = ['a', 'b', 'c'].map((letter) => letter.repeat(2 * 1024 * 1024));
    await writeFileAtomic(path, versions[0] as string, 0o400);
    let writing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (writing) {
        const text = await readFile(path, 'utf8');
        seen.add(versions.includes(text) ? text.slice(0, 1) : `bad:${text.length}`);
      }
    })();
    for (let round = 0; round < 20; round++) await writeFileAtomic(path, versions[round % versions.length] as string, 0o400);
    writing = false;
    await reader;
    expect([...seen].filter((entry) => entry.startsWith('bad'))).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('removeStaleTemps', () => {
  it('removes the temp files a killed writer of that path left, and nothing else', async () => {
    for (const name of ['.kubeconfig.0a1b2c3d4e5f.tmp', 'kubeconfig', '.credentials.0a1b2c3d4e5f.tmp', '.kubeconfig.keep']) {
      await writeFile(join(dir, name), 'x');
    }
    await removeStaleTemps(join(dir, 'kubeconfig'));
    expect((await readdir(dir)).sort()).toEqual(['.credentials.0a1b2c3d4e5f.tmp', '.kubeconfig.keep', 'kubeconfig']);
  });

  it('ignores a directory that does not exist yet', async () => {
    await expect(removeStaleTemps(join(dir, 'missing', 'kubeconfig'))).resolves.toBeUndefined();
  });
});
