import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isBelow, isPlainAbsolutePath } from '../contract/agentPlanNames.js';

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** Thrown instead of writing where an output must not go; its message names the directory only. */
export class OutsideOutputDirectory extends Error {}

/** The real path of `path`, or of its nearest ancestor that exists. */
async function realAncestor(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return await realpath(current);
    } catch (err) {
      if (codeOf(err) !== 'ENOENT' || current === dirname(current)) throw err;
    }
  }
}

/**
 * Make the directory of output `path` exist, and only below `outputDir`: the plan was checked
 * already, so this guards the filesystem itself, where a symlink (in a directory the app can
 * write, say) could lead a rename elsewhere. Checked before creating anything and again after.
 */
export async function prepareOutputDirectory(path: string, outputDir: string): Promise<void> {
  const outside = () => new OutsideOutputDirectory(`outside the output directory ${outputDir}`);
  if (!isPlainAbsolutePath(path) || !isBelow(path, outputDir)) throw outside();
  const root = await realpath(outputDir);
  const within = (real: string) => real === root || isBelow(real, root);
  if (!within(await realAncestor(dirname(path)))) throw outside();
  await mkdir(dirname(path), { recursive: true });
  if (!within(await realpath(dirname(path)))) throw outside();
}
