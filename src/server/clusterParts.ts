/**
 * Everything `serve` needs only against a cluster, in one module that start.ts imports when it
 * needs one: these load @kubernetes/client-node, whose config module alone loads the whole
 * generated API (about 70 MB of RSS, 34 MB of heap; bench/clientNodeCost.mjs measures it), which
 * a server of a credentials file never uses.
 */
export { startClusterView } from '../view/clusterView.js';
export { connectKube } from '../kube/connectKube.js';
export { mirrorBackgroundWriter } from '../mirror/controller.js';
export { rotationBackgroundWriter } from '../rotation/controller.js';
export { startLeadership } from '../kube/leadership.js';
export { kubeTlsBootstrapClient } from './tls/kubeTlsBootstrapClient.js';
export { startNamespacePolicies } from '../policy/namespacePolicyInformer.js';
export { createEventRecorder, kubeEventClient } from '../kube/eventRecorder.js';
