import { z } from 'zod';
import { defaultExpiryWarningMs } from '../credentials/expiry.js';
import { InjectionOptions } from '../engine/options.js';
import { logLevels } from './logger.js';

const portMessage = { error: 'must be a port number, 0-65535' };
const Port = z.coerce.number(portMessage).int(portMessage).min(0, portMessage).max(65535, portMessage);

export const TlsConfig = z.discriminatedUnion('mode', [
  /** Mounted files (cert-manager, a Secret volume), reloaded when they change. */
  z.object({
    mode: z.literal('files'),
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    pollMs: z.number().int().positive().default(10_000),
  }),
  /** CA and serving cert generated once per cluster, shared through a Secret. */
  z.object({
    mode: z.literal('self-signed'),
    secretName: z.string().min(1),
    serviceName: z.string().min(1),
    mutatingWebhookConfig: z.string().min(1).optional(),
    validatingWebhookConfig: z.string().min(1).optional(),
    /** How often a running replica re-reads the shared Secret: renews near expiry, follows a peer's renewal. */
    recheckMs: z.number().int().positive().default(6 * 60 * 60 * 1000),
  }),
  /** PEM given directly: for programmatic starts (tests, the e2e harness). */
  z.object({ mode: z.literal('pem'), cert: z.string().min(1), key: z.string().min(1) }),
]);
export type TlsConfig = z.infer<typeof TlsConfig>;

/** Everything `credinject serve` runs with, validated once; the server reads nothing else. */
export const ServeConfig = z
  .object({
    port: Port.default(8443),
    address: z.string().min(1).default('0.0.0.0'),
    metricsPort: Port.default(9090),
    metricsAddress: z.string().min(1).default('0.0.0.0'),
    logLevel: z.enum(logLevels).default('info'),
    /** The injector's own namespace (POD_NAMESPACE): where self-signed mode keeps its Secret. */
    namespace: z.string().min(1).optional(),
    kubeconfig: z.string().min(1).optional(),
    /** Static mode: serve credentials from this file of Secrets instead of a cluster. */
    credentialsFile: z.string().min(1).optional(),
    tls: TlsConfig,
    injection: InjectionOptions.prefault({}),
    bodyLimitBytes: z.number().int().min(3 * 1024 * 1024).default(6 * 1024 * 1024),
    /** Well under the webhook's timeoutSeconds, so a stuck client is cut before the API server gives up. */
    requestTimeoutMs: z.number().int().positive().max(10_000).default(4_000),
    /** After SIGTERM, keep serving this long while endpoints drop the pod (readiness already false). */
    shutdownDelayMs: z.number().int().min(0).default(5_000),
    /** Then wait at most this long for in-flight requests before closing connections. */
    shutdownTimeoutMs: z.number().int().positive().default(15_000),
    /**
     * A watch that heard nothing (no event, no bookmark) for this long is dead: restarted, and the
     * view not known good until it is back. Bookmarks come about every minute on a quiet watch.
     */
    watchSilenceMs: z
      .number({ error: 'must be a number of seconds' })
      .int()
      .min(1000, { error: 'must be at least 1 second' })
      .max(30 * 60_000, { error: 'must be at most 1800 seconds' })
      .default(150_000),
    /** Credentials near or past their expiry when a Pod gets them (DESIGN §1, Expiry). */
    expiry: z
      .object({
        warningMs: z.number({ error: 'must be a duration such as 7d, 168h or 0' }).int().min(0).default(defaultExpiryWarningMs),
        denyExpired: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Mirror cluster-scoped credentials of `namespace` into the namespaces they select, on the
     * Lease-elected replica. Off by default: it needs RBAC to write Secrets in every namespace.
     */
    mirror: z
      .object({
        enabled: z.boolean().default(false),
        /** Full reconcile period; also when denied deletes of mirrors in use are retried. */
        resyncMs: z.number().int().min(1000, { error: 'must be at least 1 second' }).default(60_000),
        /** Lease holder name (POD_NAME) of the one election of every background writer; defaults to the host name. */
        identity: z.string().min(1).optional(),
      })
      .prefault({}),
    /**
     * Restart the Deployments, StatefulSets and DaemonSets whose pods take a rotated key as env, on
     * the Lease-elected replica; also turns on the keyed digests and Pods' `credinject.dev/versions`.
     */
    rotation: z
      .object({
        enabled: z.boolean().default(false),
        /** A credential must be unchanged this long before its consumers restart. */
        quietPeriodMs: z.number().int().min(0, { error: 'must not be negative' }).default(10_000),
        qps: z.number().positive({ error: 'must be a positive number' }).default(5),
        burst: z.number().int().positive({ error: 'must be a positive whole number' }).default(10),
        defaultAction: z.enum(['restart', 'none']).default('restart'),
        /** The Secret in `namespace` holding the digest key shared by every replica. */
        digestKeySecret: z.string().min(1).default('credinject-digest-key'),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.tls.mode === 'self-signed' && config.credentialsFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'self-signed mode needs a cluster; with a credentials file use a certificate pair (credinject certs writes one)',
      });
    }
    if (config.tls.mode === 'self-signed' && !config.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'self-signed mode needs the namespace (POD_NAMESPACE)' });
    }
    if (config.mirror.enabled && config.credentialsFile) {
      ctx.addIssue({ code: 'custom', path: ['mirror', 'enabled'], message: 'mirroring needs a cluster; it cannot run with a credentials file' });
    }
    if (config.mirror.enabled && !config.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'mirroring needs the namespace of the cluster credentials (POD_NAMESPACE)' });
    }
    if (config.rotation.enabled && config.credentialsFile) {
      ctx.addIssue({ code: 'custom', path: ['rotation', 'enabled'], message: 'rotation needs a cluster; it cannot run with a credentials file' });
    }
    if (config.rotation.enabled && !config.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'rotation needs the namespace that keeps the digest key and the Lease (POD_NAMESPACE)' });
    }
    if (config.port !== 0 && config.port === config.metricsPort) {
      ctx.addIssue({ code: 'custom', path: ['metricsPort'], message: 'must differ from the webhook port' });
    }
  });
export type ServeConfig = z.output<typeof ServeConfig>;
export type ServeConfigInput = z.input<typeof ServeConfig>;
