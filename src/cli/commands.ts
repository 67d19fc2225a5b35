import { credentialTypeNames } from '../credentials/registry.js';
import { injectionFlags, serveFlags } from './serveFlags.js';

/** A flag as shell completion offers it: its spellings and, for a flag with a value, the choices. */
export interface CompletionFlag {
  names: string[];
  /** `file` completes paths; a list completes those words; absent for a boolean flag or free text. */
  values?: 'file' | 'free' | readonly string[];
}

type Runner = { run(argv: string[]): Promise<number> };

export interface Command {
  describe: string;
  load: () => Promise<Runner>;
  flags: readonly CompletionFlag[];
  /** What a positional argument completes to: credential types, credential names of the cluster. */
  positional?: readonly string[] | 'credential';
}

const help: CompletionFlag = { names: ['-h', '--help'] };
const cluster: CompletionFlag[] = [
  { names: ['-n', '--namespace'], values: 'free' },
  { names: ['--context'], values: 'free' },
  { names: ['--kubeconfig'], values: 'file' },
];
const file = (names: string[]): CompletionFlag => ({ names, values: 'file' });
const free = (names: string[]): CompletionFlag => ({ names, values: 'free' });

/**
 * Every command: what `credinject --help` lists, how it loads (lazily, so `inject` never pays for
 * `serve`), and the flags `credinject completion` offers. test/cli/commands.test.ts checks that the
 * flags here are the flags of each command's --help, so completion cannot drift from the parser.
 */
export const commands: Record<string, Command> = {
  serve: {
    describe: 'run the admission webhook server',
    load: () => import('./serve.js'),
    flags: [help, ...serveFlags.map((flag): CompletionFlag => ({ names: [`--${flag.name}`], ...(flag.type === 'string' ? { values: flag.name.endsWith('file') || flag.name.startsWith('tls-c') || flag.name === 'tls-key' || flag.name === 'kubeconfig' ? 'file' : 'free' } : {}) }))],
  },
  agent: {
    describe: 'render credential files inside a pod (sidecar)',
    load: () => import('./agent.js'),
    flags: [help, { names: ['--once'] }, file(['--plan-file']), file(['--output-dir'])],
    positional: ['probe'],
  },
  inject: {
    describe: 'inject credentials into manifests offline',
    load: () => import('./inject.js'),
    flags: [
      help,
      file(['-f', '--filename']),
      file(['--credentials']),
      free(['-n', '--namespace']),
      ...injectionFlags.map((flag): CompletionFlag => (flag.name === 'sidecar-mode' ? { names: ['--sidecar-mode'], values: ['native', 'legacy'] } : free([`--${flag.name}`]))),
      free(['--expiry-warning']),
      { names: ['--deny-expired'] },
    ],
  },
  validate: {
    describe: 'validate credential Secrets offline',
    load: () => import('./validate.js'),
    flags: [help, file(['-f', '--filename']), free(['--expiry-warning']), { names: ['--deny-expired'] }],
  },
  list: {
    describe: 'list credentials in a cluster',
    load: () => import('./list.js'),
    flags: [
      help,
      ...cluster,
      { names: ['-A', '--all-namespaces'] },
      { names: ['-o', '--output'], values: ['table', 'wide', 'json', 'yaml', 'name'] },
      free(['-l', '--selector']),
      { names: ['--type'], values: credentialTypeNames },
      free(['--digest-key-secret']),
    ],
  },
  describe: {
    describe: 'show one credential: status, expiry, what it injects, mirrors, users',
    load: () => import('./describe.js'),
    flags: [help, ...cluster, { names: ['-o', '--output'], values: ['text', 'json', 'yaml'] }, free(['--digest-key-secret'])],
    positional: 'credential',
  },
  create: {
    describe: 'build, check and print or apply a credential Secret',
    load: () => import('./create.js'),
    flags: [
      help,
      ...cluster,
      free(['--from-literal']),
      file(['--from-file']),
      file(['--from-json']),
      free(['--docker-server']),
      free(['--docker-username']),
      free(['--docker-password']),
      free(['--docker-email']),
      free(['--description']),
      { names: ['--scope'], values: ['namespace', 'cluster'] },
      free(['--namespace-selector']),
      { names: ['-o', '--output'], values: ['yaml', 'json'] },
      { names: ['--dry-run'], values: ['client', 'server', 'none'] },
    ],
    positional: credentialTypeNames,
  },
  dashboard: {
    describe: 'serve the local read-only credentials page',
    load: () => import('./dashboard.js'),
    flags: [help, ...cluster, { names: ['-A', '--all-namespaces'] }, free(['--port']), free(['--digest-key-secret'])],
  },
  certs: {
    describe: 'print a dev CA and serving certificate',
    load: () => import('./certs.js'),
    flags: [help, free(['--hosts']), file(['--out-dir'])],
  },
  completion: {
    describe: 'print a shell completion script (bash or zsh)',
    load: () => import('./completion.js'),
    flags: [help],
    positional: ['bash', 'zsh'],
  },
};
