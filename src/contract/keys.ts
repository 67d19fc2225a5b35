/** Every label and annotation key of credinject's public interface (docs/reference.md, "Labels and annotations"). */
export const keys = {
  typeLabel: 'credinject.dev/type',
  scopeLabel: 'credinject.dev/scope',
  description: 'credinject.dev/description',
  namespaceSelector: 'credinject.dev/namespace-selector',
  mountPath: 'credinject.dev/mount-path',
  envPrefix: 'credinject.dev/env-prefix',
  allowDelete: 'credinject.dev/allow-delete',
  /** On a Secret: YAML map of file name → mustache template over its keys, rendered by the agent. */
  templates: 'credinject.dev/templates',
  /** On a Secret: the host (`name[:port]`) the login formats (netrc, git-credentials, pgpass) are for. */
  host: 'credinject.dev/host',
  /** On a Secret: the key holding the password or token of the login formats, when not `password`/`token`. */
  passwordKey: 'credinject.dev/password-key',
  /** Label on a copy of a cluster-scoped credential, written by the mirror controller. */
  mirrorLabel: 'credinject.dev/mirror',
  /** Annotation on a mirror: `<namespace>/<name>` of its source. */
  mirroredFrom: 'credinject.dev/mirrored-from',
  /** Annotation on a mirror: hash of the data it was written with (never the data itself). */
  mirrorHash: 'credinject.dev/mirror-hash',
  inject: 'credinject.dev/inject',
  containers: 'credinject.dev/containers',
  render: 'credinject.dev/render',
  status: 'credinject.dev/status',
  injected: 'credinject.dev/injected',
  /** Prefix form: `mount-path.credinject.dev/<credential>`. */
  mountPathFor: 'mount-path.credinject.dev/',
  /** Prefix form: `env-prefix.credinject.dev/<credential>`. */
  envPrefixFor: 'env-prefix.credinject.dev/',
  /** Label on a Namespace: `enabled` sends all its Pods to the webhooks (a namespaceSelector reads it). */
  injectionLabel: 'credinject.dev/injection',
  /** Annotation on a Namespace: the credential types its Pods and workloads may ask for. */
  allowedTypes: 'credinject.dev/allowed-types',
  /** Annotation on a Namespace: `"true"` denies references to credential Secrets by hand. */
  requireInjection: 'credinject.dev/require-injection',
} as const;
