/** Every label and annotation key of credinject's public interface (DESIGN §1, §2). */
export const keys = {
  typeLabel: 'credinject.dev/type',
  scopeLabel: 'credinject.dev/scope',
  description: 'credinject.dev/description',
  namespaceSelector: 'credinject.dev/namespace-selector',
  mountPath: 'credinject.dev/mount-path',
  envPrefix: 'credinject.dev/env-prefix',
  allowDelete: 'credinject.dev/allow-delete',
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
} as const;

/** The user the namespace controller deletes as; its deletions are never blocked. */
export const namespaceControllerUser = 'system:serviceaccount:kube-system:namespace-controller';

/**
 * Controllers whose deletions of a credential are never blocked. Namespace teardown must finish. The
 * garbage collector deletes a Secret because its owner (an ExternalSecret, a SealedSecret) was
 * deleted on purpose; denying it only leaves an orphan and a retry loop. Without
 * `--use-service-account-credentials` every controller acts as `system:kube-controller-manager`.
 */
export const deletionExemptUsers: ReadonlySet<string> = new Set([
  namespaceControllerUser,
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:kube-controller-manager',
]);
