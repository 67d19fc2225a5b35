import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ServeConfig, type ServeConfigInput } from '../server/config.js';
import type { RunningServer, ServerRuntime } from '../server/start.js';
import { describeApiError } from '../kube/describeApiError.js';
import { stopPretenuring } from '../server/heapTuning.js';
import { flagNames, parseArgsOptions, serveFlags, serveUsage, setPath } from './serveFlags.js';
import { program } from './programName.js';

export type { RunningServer, ServerRuntime } from '../server/start.js';
export { ServeConfig, type ServeConfigInput } from '../server/config.js';

/**
 * Starts the server in this process (tests, the e2e harness); see `server/start.ts`. Loaded on
 * demand so a flag error is reported without first loading the Kubernetes client.
 */
export async function startServer(config: ServeConfigInput, runtime?: ServerRuntime): Promise<RunningServer> {
  return (await import('../server/start.js')).startServer(config, runtime);
}

const flags = parseArgsOptions();
type Flags = Record<string, string | boolean | undefined>;
const usage = serveUsage(program);
const flagOf = flagNames();

function tlsFrom(values: Flags): ServeConfigInput['tls'] | undefined {
  if (values['self-signed']) {
    return {
      mode: 'self-signed',
      secretName: values['tls-secret-name'] as string,
      serviceName: values['service-name'] as string,
      mutatingWebhookConfig: values['mutating-webhook-config'] as string | undefined,
      validatingWebhookConfig: values['validating-webhook-config'] as string | undefined,
    };
  }
  if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined) {
    return { mode: 'files', certFile: values['tls-cert'] as string, keyFile: values['tls-key'] as string };
  }
  return undefined;
}

/** The one place flags become config; everything after reads the validated object. */
export function configFromFlags(values: Flags, env: NodeJS.ProcessEnv): ServeConfigInput {
  const config: Record<string, unknown> = {};
  for (const flag of serveFlags) {
    const value = values[flag.name];
    if (flag.manual || !flag.path || value === undefined) continue;
    setPath(config, flag.path, typeof value === 'string' && flag.parse ? flag.parse(value) : value);
  }
  config['namespace'] = (values['namespace'] as string | undefined) ?? (env.POD_NAMESPACE || undefined);
  config['tls'] = tlsFrom(values);
  if (env.POD_NAME) setPath(config, 'mirror.identity', env.POD_NAME);
  return config as ServeConfigInput;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      if (path === 'tls' && (issue.code === 'invalid_union' || issue.code === 'invalid_type')) {
        return 'TLS: pass --tls-cert F --tls-key F, or --self-signed';
      }
      // Missing values arrive as undefined (the `!` in tlsFrom leaves that to zod to report).
      const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
      return `${flagOf[path] ?? path}: ${missing ? 'is required' : issue.message}`;
    })
    .join('\n');
}

/** Parses argv into a config, or the message for exit code 2. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { config: ServeConfig } | { error: string } | { help: true } {
  let values: Flags;
  try {
    values = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false }).values as Flags;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { help: true };
  if (values['self-signed'] && (values['tls-cert'] !== undefined || values['tls-key'] !== undefined)) {
    return { error: 'TLS: choose --self-signed or --tls-cert/--tls-key, not both' };
  }
  const parsed = ServeConfig.safeParse(configFromFlags(values, env));
  return parsed.success ? { config: parsed.data } : { error: describeIssues(parsed.error) };
}

/** `credinject serve`: runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if ('help' in parsed) {
    process.stdout.write(usage);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`credinject serve: ${parsed.error}\n\n${usage}`);
    return 2;
  }
  // Listen before starting: a SIGTERM during start-up (a slow bootstrap) stops cleanly once up.
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  stopPretenuring();
  let server: RunningServer;
  try {
    server = await startServer(parsed.config);
  } catch (err) {
    process.stderr.write(`credinject serve: cannot start: ${describeApiError(err)}\n`);
    return 1;
  }
  await signal;
  await server.close();
  // Every request of ours is aborted by now; should anything still hold the event loop (a write
  // to an API server that never answers), exit anyway rather than wait for the kubelet's SIGKILL.
  setTimeout(() => {
    process.stderr.write('credinject serve: exiting with requests to the API server still open\n');
    process.exit(0);
  }, exitBackstopMs).unref();
  return 0;
}

/** After close(): the longest a leftover handle may keep the process alive. */
const exitBackstopMs = 1_000;
