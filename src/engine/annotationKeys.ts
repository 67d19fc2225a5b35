/** Every label and annotation key of credinject's public interface (DESIGN §1, §2). */
export const keys = {
  typeLabel: 'credinject.dev/type',
  scopeLabel: 'credinject.dev/scope',
  description: 'credinject.dev/description',
  namespaceSelector: 'credinject.dev/namespace-selector',
  mountPath: 'credinject.dev/mount-path',
  envPrefix: 'credinject.dev/env-prefix',
  allowDelete: 'credinject.dev/allow-delete',
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
