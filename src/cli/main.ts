#!/usr/bin/env node
/**
 * Entry point of every credinject command. Each command lives in its own module that exports
 * `run(argv)` and returns an exit code; modules load lazily so `inject` never pays for `serve`.
 */
type Command = { describe: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { describe: 'run the admission webhook server', load: () => import('./serve.js') },
  agent: { describe: 'render credential files inside a pod (sidecar)', load: () => import('./agent.js') },
  inject: { describe: 'inject credentials into manifests offline', load: () => import('./inject.js') },
  validate: { describe: 'validate credential Secrets offline', load: () => import('./validate.js') },
  list: { describe: 'list credentials in a cluster', load: () => import('./list.js') },
  certs: { describe: 'print a dev CA and serving certificate', load: () => import('./certs.js') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)}${c.describe}`);
  return `usage: credinject <command> [flags]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`credinject: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A thrown error is a bug, not user input: print it without any object that may hold data.
    process.stderr.write(`credinject: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
