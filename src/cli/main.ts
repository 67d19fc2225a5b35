#!/usr/bin/env node
/**
 * Entry point of every credinject command, also installed as `kubectl-credinject` so that
 * `kubectl credinject list` works (kubectl runs the plugin with the arguments after its name).
 * Each command lives in its own module that exports `run(argv)` and returns an exit code; modules
 * load lazily so `inject` never pays for `serve`.
 */
import { readFileSync } from 'node:fs';
import { commands } from './commands.js';
import { program } from './programName.js';

function version(): string {
  // package.json sits two levels above both src/cli/ and dist/cli/.
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

function usage(program: string): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(11)}${c.describe}`);
  return `usage: ${program} <command> [flags]

commands:
${lines.join('\n')}

flags:
  -h, --help     this text; "${program} <command> --help" for a command's flags
  --version      the version

examples:
  ${program} list -A -o wide
  ${program} validate -f secrets/
  ${program} inject -f deployment.yaml --credentials secrets.yaml
`;
}

async function main(argv: string[], program: string): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage(program));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${program} ${version()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`${program}: unknown command "${name}"\n\n${usage(program)}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2), program).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A thrown error is a bug, not user input: print it without any object that may hold data.
    process.stderr.write(`credinject: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
