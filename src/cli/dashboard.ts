import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startLiveView } from '../dashboard/liveView.js';
import { startDashboardServer } from '../dashboard/server.js';
import { createLogger } from '../server/logger.js';
import { defaultDigestKeySecret, parseDigestKeyRef } from '../view/digestKeyAccess.js';
import { clusterOptions, clusterTarget, clusterUsage, firstLine } from './clusterFlags.js';
import { program } from './programName.js';

const usage = `usage: ${program} dashboard [--port N] [--kubeconfig F] [--context C] [-n NS | -A]

Serves a read-only credentials page on 127.0.0.1, with your kubeconfig and its RBAC: the table of
credential Secrets (status, scope, users, how many run an older version), live from watches, and a
detail view of each. Secret values never reach the page. Prints the URL with this run's token; requests without it get 403.

${clusterUsage}
  -A, --all-namespaces     every namespace you may list
  --port N                 port on 127.0.0.1 (default 0: a free one)
  --digest-key-secret S    [namespace/]name of the digest key Secret, read with your RBAC, for Stale
                           (default ${defaultDigestKeySecret})

examples:
  ${program} dashboard                     # the current namespace
  ${program} dashboard -A --port 8086      # every namespace, on a fixed port
  kubectl credinject dashboard --context prod -n ml
`;

export interface DashboardIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Resolves when the command should stop (SIGINT/SIGTERM for the process). */
  stopped(): Promise<void>;
}

const processIo: DashboardIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stopped: () => new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  }),
};

/** `credinject dashboard`: the local credentials page (DESIGN §9). */
export async function run(argv: string[], io: DashboardIo = processIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...clusterOptions,
        port: { type: 'string', default: '0' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        'digest-key-secret': { type: 'string', default: defaultDigestKeySecret },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.stderr.write(`credinject dashboard: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? '') || port > 65535) {
    io.stderr.write(`credinject dashboard: --port must be a port number (0-65535), not "${values.port}"\n`);
    return 2;
  }
  if (values['all-namespaces'] && values.namespace !== undefined) {
    io.stderr.write('credinject dashboard: choose -n NAMESPACE or -A, not both\n');
    return 2;
  }
  const digestKey = parseDigestKeyRef(values['digest-key-secret']);
  if ('error' in digestKey) {
    io.stderr.write(`credinject dashboard: ${digestKey.error}\n`);
    return 2;
  }
  let target;
  try {
    target = clusterTarget(values);
  } catch (err) {
    io.stderr.write(`credinject dashboard: ${firstLine(err)}\n`);
    return 1;
  }
  const { api } = target;
  const namespace = values['all-namespaces'] ? undefined : target.namespace;
  // Watch restarts are worth a line on stderr; nothing the logger sees holds a value (projections).
  const logger = createLogger('warn', pino.destination(2));
  let source;
  try {
    source = await startLiveView(api, { namespace, logger, digestKey });
  } catch (err) {
    io.stderr.write(`credinject dashboard: ${firstLine(err)}\n`);
    return 1;
  }
  const token = randomBytes(24).toString('base64url');
  let server;
  try {
    server = await startDashboardServer({ port, token, source, namespace });
  } catch (err) {
    await source.stop();
    io.stderr.write(`credinject dashboard: cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.stdout.write(`credinject dashboard (${namespace ? `namespace ${namespace}` : 'all namespaces'}, read-only):\n  ${server.url}\n`);
  await io.stopped();
  await server.close();
  await source.stop();
  return 0;
}
