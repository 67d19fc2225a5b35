import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { keyPairProblem, type KeyPair } from './certificates.js';

export interface KeyPairFiles {
  certFile: string;
  keyFile: string;
}

export async function readKeyPairFiles(files: KeyPairFiles): Promise<KeyPair> {
  const [cert, key] = await Promise.all([readFile(files.certFile, 'utf8'), readFile(files.keyFile, 'utf8')]);
  return { cert, key };
}

export interface KeyPairWatchOptions {
  logger: Logger;
  /** Fallback check interval: some volumes (network filesystems, overlay quirks) send no events. */
  pollMs: number;
  /** Called with a new, matching pair; the caller swaps it into the server. */
  onChange(pair: KeyPair): void;
  onError?(problem: string): void;
}

/**
 * Follows a certificate and key on disk. cert-manager and kubelet rotate a Secret volume by
 * swapping its `..data` symlink, so the directories are watched (a watch on the file itself would
 * follow the old inode), and every event or poll re-reads both files. A new certificate with the old
 * key (a rotation half done) is not served: the next event or poll picks up the finished pair.
 */
export function watchKeyPairFiles(files: KeyPairFiles, initial: KeyPair, options: KeyPairWatchOptions): { stop(): void } {
  let current = initial;
  let lastProblem: string | undefined;
  let checking: Promise<void> | undefined;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;

  async function check(): Promise<void> {
    let next: KeyPair;
    try {
      next = await readKeyPairFiles(files);
    } catch (err) {
      report(`cannot read ${(err as NodeJS.ErrnoException).code ?? 'files'}`);
      return;
    }
    if (next.cert === current.cert && next.key === current.key) return;
    const problem = keyPairProblem(next);
    if (problem) return report(problem);
    current = next;
    lastProblem = undefined;
    options.onChange(next);
  }

  function report(problem: string): void {
    // Once per distinct problem: a poll every few seconds must not flood the log.
    if (problem === lastProblem) return;
    lastProblem = problem;
    options.logger.warn({ certFile: files.certFile, problem }, 'certificate files not reloaded; keeping the current pair');
    options.onError?.(problem);
  }

  function schedule(): void {
    if (checking) {
      again = true;
      return;
    }
    checking = check().finally(() => {
      checking = undefined;
      if (again) {
        again = false;
        schedule();
      }
    });
  }

  // Events come in bursts while the kubelet writes the new folder and swaps the links.
  const onEvent = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(schedule, 50);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
    try {
      const watcher = watch(dir, onEvent);
      watcher.on('error', () => watcher.close()); // the poll carries on alone
      watchers.push(watcher);
    } catch {
      options.logger.warn({ dir }, 'cannot watch the certificate directory; relying on polling');
    }
  }
  const poll = setInterval(schedule, options.pollMs);
  poll.unref();

  return {
    stop() {
      clearInterval(poll);
      clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
    },
  };
}
