import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { publishVolume, waitFor } from './kubeletVolume.js';

// Lets a test take inotify away, so the agent must notice kubelet's swap through its poll alone.
const inotify = vi.hoisted(() => ({ available: true }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    watch: ((...args: Parameters<typeof real.watch>) => {
      if (!inotify.available) throw Object.assign(new Error('inotify watch limit reached'), { code: 'ENOSPC' });
      return real.watch(...args);
    }) as typeof real.watch,
  };
});

const { startAgent } = await import('../../src/agent/runAgent.js');

let root: string;
beforeEach(async () => {
  inotify.available = true;
  root = await mkdtemp(join(tmpdir(), 'credinject-poll-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const recorder = () => {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const record = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { lines, log: { info: record('info'), error: record('error') } };
};

describe('startAgent', () => {
  it('re-renders through the readlink poll when fs.watch is unavailable', async () => {
    inotify.available = false;
    const source = join(root, 'src');
    const path = join(root, 'out', 'rclone.conf');
    await publishVolume(source, { RCLONE_CONFIG_R_TYPE: 's3' });
    const { lines, log } = recorder();
    const plan = { version: 1 as const, outputs: [{ credential: 'r', format: 'rclone-conf' as const, sourceDir: source, path, mode: 0o440 }] };
    const agent = await startAgent(plan, log, { outputDir: root, pollMs: 50 });
    try {
      expect(await readFile(path, 'utf8')).toBe('[r]\ntype = s3\n');
      expect(lines.some((line) => line.message.includes('fs.watch unavailable, polling only: ENOSPC'))).toBe(true);
      await publishVolume(source, { RCLONE_CONFIG_R_TYPE: 'gcs' });
      await waitFor('the poll to re-render', async () => ((await readFile(path, 'utf8')) === '[r]\ntype = gcs\n' ? true : undefined));
    } finally {
      await agent.stop();
    }
    expect(lines.filter((line) => line.message === 'rendered')).toHaveLength(2);
  });

  it('renders each version once even though fs.watch and the poll both see the swap', async () => {
    const source = join(root, 'src');
    const path = join(root, 'out', 'credentials');
    await publishVolume(source, { access_key_id: 'a', secret_access_key: 'b' });
    const { lines, log } = recorder();
    const plan = { version: 1 as const, outputs: [{ credential: 'aws', format: 'aws-credentials' as const, sourceDir: source, path, mode: 0o400 }] };
    const agent = await startAgent(plan, log, { outputDir: root, pollMs: 20, debounceMs: 5 });
    try {
      await publishVolume(source, { access_key_id: 'c', secret_access_key: 'd' });
      await waitFor('the re-render', async () => ((await readFile(path, 'utf8')).includes('= c') ? true : undefined));
      // Proving that nothing more happens needs time to pass: five more polls must find nothing new.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await agent.stop();
    }
    expect(lines.filter((line) => line.message === 'rendered')).toHaveLength(2);
  });

  it('never writes through a symlink that leads out of the output directory', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'credinject-elsewhere-'));
    try {
      const source = join(root, 'src');
      await publishVolume(source, { RCLONE_CONFIG_R_TYPE: 's3' });
      const outputDir = join(root, 'rendered');
      await mkdir(outputDir);
      await symlink(elsewhere, join(outputDir, 'r'));
      const { lines, log } = recorder();
      const plan = { version: 1 as const, outputs: [{ credential: 'r', format: 'rclone-conf' as const, sourceDir: source, path: join(outputDir, 'r', 'sub', 'rclone.conf'), mode: 0o440 }] };
      const agent = await startAgent(plan, log, { outputDir, pollMs: 50 });
      await agent.stop();
      expect(await readdir(elsewhere)).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'error', message: `write failed, kept the previous file: outside the output directory ${outputDir}` }));
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
