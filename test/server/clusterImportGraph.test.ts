import { describe, expect, it } from 'vitest';
import { packagesReachedFrom } from '../importGraph.js';

describe('serve against a cluster', () => {
  // client-node's config module alone loads its whole generated API (~70 MB of RSS): serve talks to
  // the API server with kube/kubeApi and reads the kubeconfig with kube/clusterConnection.
  it('loads no @kubernetes/client-node at start, only lazily for exec plugins and auth providers', () => {
    expect([...packagesReachedFrom('server/clusterParts.ts', { lazily: false })]).not.toContain('@kubernetes/client-node');
    expect([...packagesReachedFrom('cli/serve.ts', { lazily: false })]).not.toContain('@kubernetes/client-node');
    expect([...packagesReachedFrom('kube/clusterConnection.ts', { lazily: true })]).toContain('@kubernetes/client-node');
  });
});
