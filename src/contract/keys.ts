/** Every label and annotation key of credinject's public interface (docs/reference.md, "Labels and annotations"). */
export const keys = {
  typeLabel: 'credinject.dev/type',
  scopeLabel: 'credinject.dev/scope',
  description: 'credinject.dev/description',
  namespaceSelector: 'credinject.dev/namespace-selector',
  mountPath: 'credinject.dev/mount-path',
  envPrefix: 'credinject.dev/env-prefix',
  allowDelete: 'credinject.dev/allow-delete',
  /** On a Secret: the owner's key → env mapping, `"NAME=key, NAME2=key2"`; a pod's own mapping wins. */
  env: 'credinject.dev/env',
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
  /** Prefix form: `env.credinject.dev/<credential>`, the pod's key → env mapping for that credential. */
  envFor: 'env.credinject.dev/',
  /** Prefix form: `keys.credinject.dev/<credential>`, the only keys injected (env and files). */
  keysFor: 'keys.credinject.dev/',
  /** Prefix form: `mode.credinject.dev/<credential>`, the octal file mode of that credential's files. */
  modeFor: 'mode.credinject.dev/',
  /** Per pod: the agent's settings, `"mode=init-only, cpu=50m, memory=64Mi"`, within the operator's bounds. */
  agent: 'credinject.dev/agent',
  /** Label on a Namespace: `enabled` sends all its Pods to the webhooks (a namespaceSelector reads it). */
  injectionLabel: 'credinject.dev/injection',
  /** Annotation on a Namespace: the credential types its Pods and workloads may ask for. */
  allowedTypes: 'credinject.dev/allowed-types',
  /** Annotation on a Namespace: `"true"` denies references to credential Secrets by hand. */
  requireInjection: 'credinject.dev/require-injection',
  /** Annotation on a workload: `restart` (default, see the chart's rotation.defaultAction) or `none`. */
  onRotation: 'credinject.dev/on-rotation',
  /** Written by the webhook on each Pod: `<credential>=<digest>,…` of the data it was injected with (keyed digests). */
  versions: 'credinject.dev/versions',
  /** Written by the rotation controller on a pod template: `<credential>=<digest>,…` it was restarted for. */
  restartedFor: 'credinject.dev/restarted-for',
} as const;
