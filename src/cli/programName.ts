import { basename } from 'node:path';

/**
 * How the user called us: `kubectl credinject` when kubectl ran us as its plugin (the executable
 * `kubectl-credinject` on PATH, or any file named so), else `credinject`. Used in usage texts so the
 * examples a user copies work the way they called.
 */
export function programName(argv1: string | undefined): string {
  return basename(argv1 ?? '').replace(/\.(c|m)?js$/, '').startsWith('kubectl-credinject') ? 'kubectl credinject' : 'credinject';
}

/** This process's name for itself, for every usage text (`kubectl credinject list --help` says so). */
export const program: string = programName(process.argv[1]);
