import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import { bashCompletion, zshCompletion } from '../../src/cli/completion.js';
import { programName } from '../../src/cli/programName.js';
import { repoRoot, runCli } from '../fixtures/runCli.js';

const work = mkdtempSync(join(tmpdir(), 'credinject-commands-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The `--flag` and `-f` spellings a help text lists (its examples may quote kubectl's flags). */
const helpFlags = (help: string): Set<string> => {
  const text = help.split('\nexamples:')[0]!;
  return new Set([...text.matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?=[\s,=\]|]|$)/g)].map((m) => m[1]!));
};

describe.each(Object.keys(commands))('credinject %s --help', (name) => {
  const { code, stdout } = runCli([name, '--help']);

  it('exits 0 with examples', () => {
    expect(code).toBe(0);
    expect(stdout).toContain('examples:');
  });

  it('lists exactly the flags completion offers', () => {
    const offered = new Set(commands[name]!.flags.flatMap((flag) => flag.names));
    const listed = helpFlags(stdout);
    listed.add('-h').add('--help');
    expect([...offered].filter((flag) => !listed.has(flag)), 'offered, not in --help').toEqual([]);
    expect([...listed].filter((flag) => !offered.has(flag)), 'in --help, not offered').toEqual([]);
  });
});

describe('credinject', () => {
  it.each([['--version'], ['version']])('%s prints the package version', (flag) => {
    expect(runCli([flag])).toMatchObject({ code: 0, stdout: `credinject ${version}\n` });
  });

  it('lists every command in its usage, with examples', () => {
    const { stdout } = runCli(['--help']);
    for (const name of Object.keys(commands)) expect(stdout).toContain(`  ${name} `);
    expect(stdout).toContain('examples:\n  credinject list -A -o wide');
  });
});

describe('the kubectl plugin', () => {
  it.each([
    ['/usr/local/bin/kubectl-credinject', 'kubectl credinject'],
    ['/home/u/.krew/bin/kubectl-credinject.js', 'kubectl credinject'],
    ['/usr/local/bin/credinject', 'credinject'],
    ['/repo/dist/cli/main.js', 'credinject'],
    [undefined, 'credinject'],
  ])('run as %s calls itself %s', (argv1, name) => {
    expect(programName(argv1)).toBe(name);
  });

  /** Runs `kubectl credinject ...` with kubectl-credinject (the built CLI) first on PATH, as npm installs it. */
  function viaKubectl(args: string[]) {
    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    expect(kubectl.error, 'kubectl is needed for this test (Debian: apt-get install kubernetes-client)').toBeUndefined();
    const bin = join(work, 'bin');
    const plugin = join(bin, 'kubectl-credinject');
    if (!existsSync(plugin)) {
      const main = join(repoRoot, 'dist', 'cli', 'main.js');
      // npm makes bin entries executable when it installs the package; the build output is not.
      chmodSync(main, 0o755);
      mkdirSync(bin, { recursive: true });
      symlinkSync(main, plugin);
    }
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: join(work, 'none') };
    return spawnSync('kubectl', ['credinject', ...args], { encoding: 'utf8', env, timeout: 30_000 });
  }

  it('answers "kubectl credinject" through kubectl\'s plugin dispatch (kubectl-credinject on PATH)', () => {
    expect(viaKubectl(['--version'])).toMatchObject({ status: 0, stdout: `kubectl credinject ${version}\n` });
    const help = viaKubectl(['--help']);
    expect(help.stdout).toContain('usage: kubectl credinject <command>');
    expect(help.stdout).toContain('kubectl credinject list -A -o wide');
  });

  it.each(Object.keys(commands))('kubectl credinject %s --help: the usage and every example say "kubectl credinject"', (name) => {
    const { status, stdout } = viaKubectl([name, '--help']);
    expect(status).toBe(0);
    expect(stdout.startsWith(`usage: kubectl credinject ${name} `)).toBe(true);
    // The usage block (up to its first blank line) and the examples: every call of a command is kubectl's.
    const shown = `${stdout.split('\n\n')[0]}\n${stdout.split('\nexamples:')[1] ?? ''}`;
    const commandWords = Object.keys(commands).join('|');
    const bare = shown.split('\n').filter((line) => new RegExp(`(?<!kubectl )\\bcredinject (${commandWords})\\b`).test(line));
    expect(bare, 'lines that call credinject by its own name').toEqual([]);
    expect(shown).toContain(`kubectl credinject ${name}`);
  });

  it('is installed under both names by package.json', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ credinject: 'dist/cli/main.js', 'kubectl-credinject': 'dist/cli/main.js' });
  });
});

/** What bash's completion offers for a command line ending in `line` (the last word is the one completed). */
function bashComplete(line: string[]): string[] {
  const script = join(work, 'completion.bash');
  writeFileSync(script, bashCompletion());
  const words = line.map((w) => `'${w}'`).join(' ');
  const program = `source '${script}'; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _credinject; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '-c', program], { encoding: 'utf8', env: { ...process.env, PATH: process.env.PATH } });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

describe('credinject completion', () => {
  it('bash: the script parses', () => {
    const result = spawnSync('bash', ['-n'], { input: bashCompletion(), encoding: 'utf8' });
    expect(result).toMatchObject({ status: 0, stderr: '' });
  });

  it.each([
    [['credinject', 'li'], ['list']],
    [['credinject', 'list', '-o', ''], ['table', 'wide', 'json', 'yaml', 'name']],
    [['credinject', 'list', '--type', 'a'], ['aws', 'access-key', 'azure']],
    [['credinject', 'list', '--se'], ['--selector']],
    [['credinject', 'completion', ''], ['bash', 'zsh']],
    [['credinject', 'inject', '--sidecar-mode', 'l'], ['legacy']],
    [['credinject', 'serve', '--deny'], ['--deny-expired']],
  ])('bash completes %j to %j', (line, expected) => {
    expect(bashComplete(line)).toEqual(expected);
  });

  it('zsh: defines and registers the completion for both names', () => {
    const script = zshCompletion();
    expect(script.startsWith('#compdef credinject kubectl-credinject\n')).toBe(true);
    expect(script).toContain('compdef _credinject credinject kubectl-credinject');
    for (const name of Object.keys(commands)) expect(script).toContain(`    ${name})`);
  });

  it.each([[[]], [['fish']], [['bash', 'extra']]])('refuses %j with exit 2', (args) => {
    const { code, stderr } = runCli(['completion', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain('name the shell, bash or zsh');
  });
});
