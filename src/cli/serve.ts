import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { ServeConfig, type ServeConfigInput } from '../server/config.js';
import type { RunningServer, ServerRuntime } from '../server/start.js';
import { describeApiError } from '../kube/describeApiError.js';
import { defaultInjectionOptions, type InjectionOptions } from '../engine/options.js';

export type { RunningServer, ServerRuntime } from '../server/start.js';
export { ServeConfig, type ServeConfigInput } from '../server/config.js';

/**
 * Starts the server in this process (tests, the e2e harness); see `server/start.ts`. Loaded on
 * demand so a flag error is reported without first loading the Kubernetes client.
 */
export async function startServer(config: ServeConfigInput, runtime?: ServerRuntime): Promise<RunningServer> {
  return (await import('../server/start.js')).startServer(config, runtime);
}

const flags = {
  port: { type: 'string' },
  address: { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-address': { type: 'string' },
  'log-level': { type: 'string' },
  'agent-image': { type: 'string' },
  'agent-image-pull-policy': { type: 'string' },
  'agent-cpu-request': { type: 'string' },
  'agent-memory-request': { type: 'string' },
  'agent-memory-limit': { type: 'string' },
  'agent-run-as-user': { type: 'string' },
  'sidecar-mode': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'self-signed': { type: 'boolean' },
  'tls-secret-name': { type: 'string' },
  'service-name': { type: 'string' },
  'mutating-webhook-config': { type: 'string' },
  'validating-webhook-config': { type: 'string' },
  namespace: { type: 'string' },
  kubeconfig: { type: 'string' },
  'credentials-file': { type: 'string' },
  'shutdown-delay': { type: 'string' },
  'mirror-cluster-credentials': { type: 'boolean' },
  'mirror-resync': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parseArgs<{ options: typeof flags; strict: true }>>['values'];

const usage = `usage: credinject serve [flags]

  --port N                      webhook HTTPS port (8443)
  --address A                   webhook bind address (0.0.0.0)
  --metrics-port N              /healthz, /readyz, /metrics port, plain HTTP (9090)
  --metrics-address A           ops bind address (0.0.0.0)
  --log-level L                 fatal|error|warn|info|debug|trace|silent (info)
  --agent-image IMG             image of the injected agent
  --agent-image-pull-policy P   Always|IfNotPresent|Never
  --agent-cpu-request Q         the agent's CPU request (10m)
  --agent-memory-request Q      the agent's memory request (32Mi)
  --agent-memory-limit Q        the agent's memory limit (64Mi)
  --agent-run-as-user UID       the agent's UID when the pod sets none (65532; never root)
  --sidecar-mode M              native|legacy (native)
  --tls-cert F --tls-key F      serve these files, reloaded when they change
  --self-signed                 make a CA and serving cert, shared through a Secret:
    --tls-secret-name N --service-name S
    [--mutating-webhook-config N] [--validating-webhook-config N]   patch their caBundle
  --namespace NS                the injector's namespace (default $POD_NAMESPACE)
  --kubeconfig F                kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --credentials-file F          static mode: serve the Secrets in F, no cluster
  --shutdown-delay S            seconds to keep serving after SIGTERM, not ready (5)
  --mirror-cluster-credentials  copy credentials labelled credinject.dev/scope=cluster in --namespace
                                into the namespaces they select (one Lease-elected replica writes;
                                needs RBAC to write Secrets in every namespace)
    --mirror-resync S           seconds between full mirror reconciles (60)
`;

/** Where each config field came from, so a zod issue can name the flag the user typed. */
const flagOf: Record<string, string> = {
  port: '--port',
  address: '--address',
  metricsPort: '--metrics-port',
  metricsAddress: '--metrics-address',
  logLevel: '--log-level',
  namespace: '--namespace (or POD_NAMESPACE)',
  kubeconfig: '--kubeconfig',
  credentialsFile: '--credentials-file',
  shutdownDelayMs: '--shutdown-delay',
  'mirror.enabled': '--mirror-cluster-credentials',
  'mirror.resyncMs': '--mirror-resync',
  'injection.agentImage': '--agent-image',
  'injection.agentImagePullPolicy': '--agent-image-pull-policy',
  'injection.agentResources.requests.cpu': '--agent-cpu-request',
  'injection.agentResources.requests.memory': '--agent-memory-request',
  'injection.agentResources.limits.memory': '--agent-memory-limit',
  'injection.agentRunAsUser': '--agent-run-as-user',
  'injection.sidecarMode': '--sidecar-mode',
  'tls.certFile': '--tls-cert',
  'tls.keyFile': '--tls-key',
  'tls.secretName': '--tls-secret-name',
  'tls.serviceName': '--service-name',
  tls: 'TLS',
};

function tlsFrom(values: Flags): ServeConfigInput['tls'] | undefined {
  if (values['self-signed']) {
    return {
      mode: 'self-signed',
      secretName: values['tls-secret-name']!,
      serviceName: values['service-name']!,
      mutatingWebhookConfig: values['mutating-webhook-config'],
      validatingWebhookConfig: values['validating-webhook-config'],
    };
  }
  if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined) {
    return { mode: 'files', certFile: values['tls-cert']!, keyFile: values['tls-key']! };
  }
  return undefined;
}

/** The agent's resources: the defaults with whatever the flags override. */
function agentResourcesFrom(values: Flags): InjectionOptions['agentResources'] | undefined {
  const cpu = values['agent-cpu-request'];
  const memory = values['agent-memory-request'];
  const limit = values['agent-memory-limit'];
  if (cpu === undefined && memory === undefined && limit === undefined) return undefined;
  const defaults = defaultInjectionOptions.agentResources;
  return {
    requests: { ...defaults.requests, ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) },
    limits: { ...defaults.limits, ...(limit === undefined ? {} : { memory: limit }) },
  };
}

/** A flag in seconds as milliseconds; not a number stays NaN for zod to name the flag. */
const seconds = (text: string | undefined): number | undefined => (text === undefined ? undefined : Math.round(Number(text) * 1000));

/** The one place flags become config; everything after reads the validated object. */
export function configFromFlags(values: Flags, env: NodeJS.ProcessEnv): ServeConfigInput {
  return {
    port: values.port,
    address: values.address,
    metricsPort: values['metrics-port'],
    metricsAddress: values['metrics-address'],
    logLevel: values['log-level'] as ServeConfigInput['logLevel'],
    namespace: values.namespace ?? (env.POD_NAMESPACE || undefined),
    kubeconfig: values.kubeconfig,
    credentialsFile: values['credentials-file'],
    shutdownDelayMs: seconds(values['shutdown-delay']),
    tls: tlsFrom(values)!,
    mirror: {
      enabled: values['mirror-cluster-credentials'],
      resyncMs: seconds(values['mirror-resync']),
      identity: env.POD_NAME || undefined,
    },
    injection: {
      agentImage: values['agent-image'],
      agentImagePullPolicy: values['agent-image-pull-policy'] as 'Always' | undefined,
      sidecarMode: values['sidecar-mode'] as 'native' | undefined,
      agentResources: agentResourcesFrom(values),
      agentRunAsUser: values['agent-run-as-user'] === undefined ? undefined : Number(values['agent-run-as-user']),
    },
  };
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
    values = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false }).values;
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
  let server: RunningServer;
  try {
    server = await startServer(parsed.config);
  } catch (err) {
    process.stderr.write(`credinject serve: cannot start: ${describeApiError(err)}\n`);
    return 1;
  }
  await signal;
  await server.close();
  return 0;
}
