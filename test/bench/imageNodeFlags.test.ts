import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageNodeFlags } from '../../bench/servers.mjs';

describe('imageNodeFlags', () => {
  it("reads the image's node flags from the Dockerfile, and node accepts them", () => {
    const flags = imageNodeFlags() as string[];
    expect(flags).toContain('--max-semi-space-size=8');
    const node = spawnSync(process.execPath, [...flags, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(node.stderr).toBe('');
    expect(node.status).toBe(0);
  });

  it("takes a baseline build's own Dockerfile, and none when it has none", () => {
    const dir = mkdtempSync(join(tmpdir(), 'credinject-flags-'));
    try {
      mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
      const main = join(dir, 'dist', 'cli', 'main.js');
      expect(imageNodeFlags(main)).toEqual([]);
      writeFileSync(join(dir, 'Dockerfile'), 'FROM node\nENTRYPOINT ["node", "--a=1", "--b", "/app/dist/cli/main.js"]\nCMD ["serve"]\n');
      expect(imageNodeFlags(main)).toEqual(['--a=1', '--b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
