// vault-k8s's injector (`vault-k8s agent-inject`, the released binary, unmodified) against the
// e2e control plane, set up the way its Helm chart deploys it with certificates of one's own: a
// ServiceAccount with the chart's ClusterRole, its MutatingWebhookConfiguration, the webhook
// serving certificate from files.
//
// The binary insists on rest.InClusterConfig(): KUBERNETES_SERVICE_HOST/PORT and a token folder at
// the fixed path /var/run/secrets/kubernetes.io/serviceaccount. It gets a real ServiceAccount token
// (TokenRequest) in a folder of ours, mounted at that path inside a private mount namespace
// (`unshare --mount`, root only) over an empty /run, so nothing on the machine changes and the
// binary runs exactly as released.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { until } from '../benchUtil.mjs';
import { freePorts, post } from '../servers.mjs';

const ns = 'vault';
const account = 'vault-agent-injector';
const webhookName = 'vault-agent-injector-cfg';

async function prepareCluster(kubeConfig, port) {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  const admission = kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: account } } });
  // The chart's injector ClusterRole.
  await rbac.createClusterRole({
    body: {
      metadata: { name: `${account}-clusterrole` },
      rules: [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['get', 'list', 'watch', 'patch'] }],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: `${account}-binding` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${account}-clusterrole` },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: ns }],
    },
  });
  // What its informer watches. It selects no object, so the API server never calls it.
  await admission.createMutatingWebhookConfiguration({
    body: {
      metadata: { name: webhookName },
      webhooks: [
        {
          name: 'vault.hashicorp.com',
          clientConfig: { url: `https://127.0.0.1:${port}/mutate` },
          rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          objectSelector: { matchLabels: { 'bench.credinject.dev/never': 'true' } },
          failurePolicy: 'Ignore',
          sideEffects: 'None',
          admissionReviewVersions: ['v1', 'v1beta1'],
        },
      ],
    },
  });
  const token = await core.createNamespacedServiceAccountToken({ name: account, namespace: ns, body: { spec: { expirationSeconds: 3600 } } });
  return token.status.token;
}

/** Injected reviews so far, from its own metrics (the answers that were patches). */
function injectedCount(port, ca) {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve(
          text
            .split('\n')
            .filter((line) => line.startsWith('vault_agent_injector_injections_by_namespace_total{'))
            .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0),
        ),
      );
    }).on('error', reject);
  });
}

/**
 * Starts the injector; `binary` is the vault-k8s executable, `cp` a started control plane,
 * `files` the bench's certificate files, `wrap` a command prefix (taskset pinning).
 */
export async function startVaultInjector({ binary, cp, files, dir, wrap = [] }) {
  const [port] = await freePorts(1);
  const token = await prepareCluster(cp.kubeConfig, port);
  const tokenDir = join(dir, 'serviceaccount');
  mkdirSync(tokenDir, { recursive: true });
  writeFileSync(join(tokenDir, 'token'), token, { mode: 0o600 });
  writeFileSync(join(tokenDir, 'ca.crt'), cp.caCertPem);
  writeFileSync(join(tokenDir, 'namespace'), ns);
  const apiPort = new URL(cp.apiServerUrl).port;
  const logFile = join(dir, 'vault-k8s.log');
  const fd = openSync(logFile, 'w');
  const mountAndRun =
    'mount -t tmpfs -o size=1m,mode=755 tmpfs /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount && ' +
    'mount --bind "$0" /run/secrets/kubernetes.io/serviceaccount && exec "$@"';
  const args = [
    ...wrap,
    'unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', mountAndRun, tokenDir,
    binary, 'agent-inject',
    `-listen=127.0.0.1:${port}`,
    `-tls-cert-file=${files.cert}`, `-tls-key-file=${files.key}`,
    `-tls-auto=${webhookName}`,
    '-vault-address=https://vault.vault.svc:8200',
    '-log-level=info', '-log-format=standard',
    '-telemetry-path=/metrics',
  ];
  // Its environment as in the pod, and nothing of ours (no proxy variables).
  const env = { PATH: process.env.PATH, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: apiPort, NAMESPACE: ns };
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n');
  // Ready once it serves its certificate (it loads it only after its webhook informer synced).
  await until('vault-k8s to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`vault-k8s exited with ${child.exitCode}:\n${tail()}`);
    const res = await post(port, '/health/ready', '', files.ca).catch(() => undefined);
    return res?.status === 204 ? true : undefined;
  }, 30_000);
  return {
    name: 'vault-k8s',
    pid: child.pid,
    port,
    logFile,
    injected: () => injectedCount(port, files.ca),
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
