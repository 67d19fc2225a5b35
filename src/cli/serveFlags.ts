import type { ParseArgsConfig } from 'node:util';
import { parseDuration } from '../contract/parseDuration.js';

/**
 * One row per `credinject serve` flag: the usage text, the parser option and the config field it
 * sets all come from here, so a flag cannot be documented, parsed and named differently. Adding a
 * flag is adding a row (docs/reference.md lists them too).
 */
export interface ServeFlag {
  name: string;
  type: 'string' | 'boolean';
  /** Placeholder in the usage line, e.g. `N`. */
  arg?: string;
  /** Usage text; `\n` continues on the next line, aligned. */
  help: string;
  /** The config field (dotted path) the flag sets, named in errors about that field. */
  path?: string;
  /** How the flag's text becomes the field's value (default: as is). */
  parse?: (text: string) => unknown;
  /** Set by hand in configFromFlags (TLS modes, env fallbacks): the table only names it. */
  manual?: true;
  /** Shown indented under the flag before it, as its sub-option. */
  sub?: true;
}

/** A flag in seconds as milliseconds; not a number stays NaN for zod to name the flag. */
export const seconds = (text: string): number => Math.round(Number(text) * 1000);
const integer = (text: string): number => Number(text);

export const serveFlags: readonly ServeFlag[] = [
  { name: 'port', type: 'string', arg: 'N', help: 'webhook HTTPS port (8443)', path: 'port' },
  { name: 'address', type: 'string', arg: 'A', help: 'webhook bind address (0.0.0.0)', path: 'address' },
  { name: 'metrics-port', type: 'string', arg: 'N', help: '/healthz, /readyz, /metrics port, plain HTTP (9090)', path: 'metricsPort' },
  { name: 'metrics-address', type: 'string', arg: 'A', help: 'ops bind address (0.0.0.0)', path: 'metricsAddress' },
  { name: 'log-level', type: 'string', arg: 'L', help: 'fatal|error|warn|info|debug|trace|silent (info)', path: 'logLevel' },
  { name: 'agent-image', type: 'string', arg: 'IMG', help: 'image of the injected agent', path: 'injection.agentImage' },
  { name: 'agent-image-pull-policy', type: 'string', arg: 'P', help: 'Always|IfNotPresent|Never', path: 'injection.agentImagePullPolicy' },
  { name: 'agent-cpu-request', type: 'string', arg: 'Q', help: "the agent's CPU request (10m)", path: 'injection.agentResources.requests.cpu' },
  { name: 'agent-memory-request', type: 'string', arg: 'Q', help: "the agent's memory request (32Mi)", path: 'injection.agentResources.requests.memory' },
  { name: 'agent-cpu-limit', type: 'string', arg: 'Q', help: "the agent's CPU limit (none; set it where a ResourceQuota\nor LimitRange demands limits.cpu)", path: 'injection.agentResources.limits.cpu' },
  { name: 'agent-memory-limit', type: 'string', arg: 'Q', help: "the agent's memory limit (64Mi)", path: 'injection.agentResources.limits.memory' },
  { name: 'agent-min-cpu', type: 'string', arg: 'Q', help: 'the least CPU a pod may request for its agent with\ncredinject.dev/agent (1m)', path: 'injection.agentBounds.cpu.min' },
  { name: 'agent-max-cpu', type: 'string', arg: 'Q', help: 'the most CPU a pod may request for its agent (500m)', path: 'injection.agentBounds.cpu.max' },
  { name: 'agent-min-memory', type: 'string', arg: 'Q', help: 'the least memory a pod may request for its agent (16Mi)', path: 'injection.agentBounds.memory.min' },
  { name: 'agent-max-memory', type: 'string', arg: 'Q', help: 'the most memory a pod may request for its agent (512Mi)', path: 'injection.agentBounds.memory.max' },
  { name: 'agent-run-as-user', type: 'string', arg: 'UID', help: "the agent's UID when the pod sets none (65532; never root)", path: 'injection.agentRunAsUser', parse: integer },
  { name: 'sidecar-mode', type: 'string', arg: 'M', help: 'native|legacy (native)', path: 'injection.sidecarMode' },
  { name: 'tls-cert', type: 'string', arg: 'F', help: 'serve this certificate file, reloaded when it changes', path: 'tls.certFile', manual: true },
  { name: 'tls-key', type: 'string', arg: 'F', help: 'and this key file', path: 'tls.keyFile', manual: true },
  { name: 'self-signed', type: 'boolean', help: 'make a CA and serving cert, shared through a Secret:', manual: true },
  { name: 'tls-secret-name', type: 'string', arg: 'N', help: 'the Secret that holds them', path: 'tls.secretName', manual: true, sub: true },
  { name: 'service-name', type: 'string', arg: 'S', help: 'the Service the certificate is for', path: 'tls.serviceName', manual: true, sub: true },
  { name: 'mutating-webhook-config', type: 'string', arg: 'N', help: 'patch its caBundle', manual: true, sub: true },
  { name: 'validating-webhook-config', type: 'string', arg: 'N', help: 'patch its caBundle', manual: true, sub: true },
  { name: 'namespace', type: 'string', arg: 'NS', help: "the injector's namespace (default $POD_NAMESPACE)", path: 'namespace', manual: true },
  { name: 'kubeconfig', type: 'string', arg: 'F', help: 'kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)', path: 'kubeconfig' },
  { name: 'credentials-file', type: 'string', arg: 'F', help: 'static mode: serve the Secrets in F, no cluster', path: 'credentialsFile' },
  {
    name: 'expiry-warning',
    type: 'string',
    arg: 'D',
    help: 'warn when a Pod gets a credential that expires within D\n(7d; 168h, 36h30m and 0 for never work too)',
    path: 'expiry.warningMs',
    parse: parseDuration,
  },
  { name: 'deny-expired', type: 'boolean', help: 'refuse a Pod that would get an expired credential\n(default: warn)', path: 'expiry.denyExpired' },
  {
    name: 'watch-silence-timeout',
    type: 'string',
    arg: 'S',
    help: 'seconds a watch may hear nothing (not even a bookmark) before it\nis restarted and the server reports not ready (150)',
    path: 'watchSilenceMs',
    parse: seconds,
  },
  { name: 'shutdown-delay', type: 'string', arg: 'S', help: 'seconds to keep serving after SIGTERM, not ready (5)', path: 'shutdownDelayMs', parse: seconds },
  {
    name: 'mirror-cluster-credentials',
    type: 'boolean',
    help: 'copy credentials labelled credinject.dev/scope=cluster in --namespace\ninto the namespaces they select (one Lease-elected replica writes;\nneeds RBAC to write Secrets in every namespace)',
    path: 'mirror.enabled',
  },
  { name: 'mirror-resync', type: 'string', arg: 'S', help: 'seconds between full mirror reconciles (60)', path: 'mirror.resyncMs', parse: seconds, sub: true },
  {
    name: 'rotate-workloads',
    type: 'boolean',
    help: 'restart Deployments, StatefulSets and DaemonSets whose pods take a\nrotated key as env (one Lease-elected replica patches; needs RBAC\nto patch them); records credinject.dev/versions on Pods',
    path: 'rotation.enabled',
  },
  { name: 'rotation-quiet-period', type: 'string', arg: 'S', help: 'seconds a credential must be unchanged first (10)', path: 'rotation.quietPeriodMs', parse: seconds, sub: true },
  { name: 'rotation-qps', type: 'string', arg: 'N', help: 'restart patches per second (5)', path: 'rotation.qps', parse: Number, sub: true },
  { name: 'rotation-burst', type: 'string', arg: 'N', help: 'restart patches at once (10)', path: 'rotation.burst', parse: integer, sub: true },
  { name: 'rotation-default-action', type: 'string', arg: 'A', help: 'restart|none without credinject.dev/on-rotation (restart)', path: 'rotation.defaultAction', sub: true },
  { name: 'digest-key-secret', type: 'string', arg: 'N', help: 'Secret of the shared digest key (credinject-digest-key)', path: 'rotation.digestKeySecret', sub: true },
];

/** The options `node:util` parseArgs takes, from the table. */
export function parseArgsOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const flag of serveFlags) options[flag.name] = { type: flag.type };
  return options;
}

/** Usage lines of some rows of the table, help text aligned at `width`. */
export function flagUsageLines(flags: readonly ServeFlag[], width = 34): string[] {
  return flags.map((flag) => {
    const left = `${flag.sub ? '    ' : '  '}--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`;
    const [first, ...rest] = flag.help.split('\n');
    const pad = (text: string) => (text.length < width ? text.padEnd(width) : `${text}  `);
    return [pad(left) + first, ...rest.map((line) => ' '.repeat(width) + line)].join('\n');
  });
}

/** The usage text, from the table. */
export function serveUsage(program: string): string {
  const lines = flagUsageLines(serveFlags);
  const examples = [
    'examples:',
    `  ${program} serve --self-signed --namespace credinject-system --tls-secret-name credinject-tls \\`,
    '    --service-name credinject --mutating-webhook-config credinject --validating-webhook-config credinject',
    `  ${program} serve --tls-cert tls/tls.crt --tls-key tls/tls.key --credentials-file examples/credentials.yaml`,
  ];
  return `usage: ${program} serve [flags]\n\n${lines.join('\n')}\n\n${examples.join('\n')}\n`;
}

/** Config field → the flag a user typed, for error messages. */
export function flagNames(): Record<string, string> {
  const names: Record<string, string> = { tls: 'TLS', namespace: '--namespace (or POD_NAMESPACE)' };
  for (const flag of serveFlags) if (flag.path && !(flag.path in names)) names[flag.path] = `--${flag.name}`;
  return names;
}

/** Sets `value` at a dotted path of a plain object, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  let node = target;
  for (const step of steps.slice(0, -1)) {
    const next = node[step];
    node = (node[step] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  node[steps.at(-1)!] = value;
}

const injectionPrefix = 'injection.';

/**
 * The rows that set the injection engine's options (agent image, resources, bounds, UID, sidecar
 * mode): `credinject inject` takes exactly these, so offline and the webhook decide alike.
 */
export const injectionFlags: readonly ServeFlag[] = serveFlags.filter((flag) => flag.path?.startsWith(injectionPrefix));

/**
 * The engine options' input from parsed values of `injectionFlags`, plus option path → flag name
 * for errors; validated by the caller with InjectionOptions (the same schema serve's config embeds).
 */
export function injectionInputFromFlags(values: Record<string, unknown>): { input: Record<string, unknown>; flagOf: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const flagOf: Record<string, string> = {};
  for (const flag of injectionFlags) {
    const path = flag.path!.slice(injectionPrefix.length);
    flagOf[path] = `--${flag.name}`;
    const value = values[flag.name];
    if (value !== undefined) setPath(input, path, typeof value === 'string' && flag.parse ? flag.parse(value) : value);
  }
  return { input, flagOf };
}
