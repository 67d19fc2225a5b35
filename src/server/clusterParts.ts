/**
 * Everything `serve` needs only against a cluster, in one module that start.ts imports when it
 * needs one: the API client, informers, controllers and writers, which a server of a credentials
 * file never uses. None of it loads @kubernetes/client-node (test/server/clusterImportGraph).
 */
export { startClusterView } from '../view/clusterView.js';
export { connectKube } from '../kube/connectKube.js';
export { mirrorBackgroundWriter } from '../mirror/controller.js';
export { rotationBackgroundWriter } from '../rotation/controller.js';
export { startLeadership } from '../kube/leadership.js';
export { kubeTlsBootstrapClient } from './tls/kubeTlsBootstrapClient.js';
export { startNamespacePolicies } from '../policy/namespacePolicyInformer.js';
export { createEventRecorder, kubeEventClient } from '../kube/eventRecorder.js';
