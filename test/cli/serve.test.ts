import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../src/cli/serve.js';

const chartFilesArgs = [
  '--port', '8443', '--metrics-port', '9090', '--log-level', 'info',
  '--agent-image', 'ghcr.io/credinject/credinject:1.2.3', '--sidecar-mode', 'legacy',
  '--tls-cert', '/etc/credinject/tls/tls.crt', '--tls-key', '/etc/credinject/tls/tls.key',
];
const chartSelfSignedArgs = [
  '--port', '8443', '--metrics-port', '9090', '--log-level', 'info',
  '--agent-image', 'img:1', '--sidecar-mode', 'native',
  '--self-signed', '--tls-secret-name', 'credinject-tls', '--service-name', 'credinject',
  '--mutating-webhook-config', 'credinject', '--validating-webhook-config', 'credinject',
];

function config(args: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseServeArgs(args, env);
  if (!('config' in parsed)) throw new Error(JSON.stringify(parsed));
  return parsed.config;
}

function error(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const parsed = parseServeArgs(args, env);
  if (!('error' in parsed)) throw new Error(`expected an error for ${args.join(' ')}`);
  return parsed.error;
}

describe('serve flags', () => {
  it('reads the flags the Helm chart passes in file mode into one config', () => {
    expect(config(chartFilesArgs)).toMatchObject({
      port: 8443,
      metricsPort: 9090,
      address: '0.0.0.0',
      metricsAddress: '0.0.0.0',
      logLevel: 'info',
      tls: { mode: 'files', certFile: '/etc/credinject/tls/tls.crt', keyFile: '/etc/credinject/tls/tls.key' },
      injection: { agentImage: 'ghcr.io/credinject/credinject:1.2.3', sidecarMode: 'legacy', agentImagePullPolicy: 'IfNotPresent' },
    });
  });

  it('reads the self-signed flags, with the namespace from POD_NAMESPACE', () => {
    expect(config(chartSelfSignedArgs, { POD_NAMESPACE: 'credinject-system' })).toMatchObject({
      namespace: 'credinject-system',
      tls: {
        mode: 'self-signed',
        secretName: 'credinject-tls',
        serviceName: 'credinject',
        mutatingWebhookConfig: 'credinject',
        validatingWebhookConfig: 'credinject',
      },
    });
  });

  it('lets --namespace override POD_NAMESPACE', () => {
    expect(config([...chartSelfSignedArgs, '--namespace', 'mine'], { POD_NAMESPACE: 'theirs' }).namespace).toBe('mine');
  });

  it('reads static mode, binding addresses and the shutdown delay', () => {
    const c = config([
      '--credentials-file', 'creds.yaml', '--tls-cert', 'c', '--tls-key', 'k',
      '--address', '127.0.0.1', '--metrics-address', '127.0.0.1', '--shutdown-delay', '0.25', '--kubeconfig', 'kc',
    ]);
    expect(c).toMatchObject({ credentialsFile: 'creds.yaml', address: '127.0.0.1', metricsAddress: '127.0.0.1', shutdownDelayMs: 250, kubeconfig: 'kc' });
  });

  it.each([
    [['--tls-cert', 'c', '--tls-key', 'k', '--port', 'http'], '--port:'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--port', '70000'], '--port:'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--sidecar-mode', 'sometimes'], '--sidecar-mode:'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--log-level', 'loud'], '--log-level:'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--metrics-port', '8443'], '--metrics-port: must differ'],
    [['--tls-cert', 'c'], '--tls-key: is required'],
    [[], 'TLS: pass --tls-cert F --tls-key F, or --self-signed'],
    [['--self-signed', '--tls-cert', 'c', '--tls-key', 'k'], 'not both'],
    [['--self-signed', '--tls-secret-name', 's', '--service-name', 'svc'], '--namespace (or POD_NAMESPACE)'],
    [['--self-signed', '--service-name', 'svc', '--namespace', 'n'], '--tls-secret-name: is required'],
    [['--self-signed', '--tls-secret-name', 's', '--service-name', 'svc', '--namespace', 'n', '--credentials-file', 'f'], 'needs a cluster'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--mirror-cluster-credentials'], 'mirroring needs the namespace'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--namespace', 'n', '--mirror-cluster-credentials', '--credentials-file', 'f'], '--mirror-cluster-credentials: mirroring needs a cluster'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--namespace', 'n', '--mirror-cluster-credentials', '--mirror-resync', '0.5'], '--mirror-resync: must be at least 1 second'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--mirror-resync', 'soon'], '--mirror-resync:'],
    [['--tls-cert', 'c', '--tls-key', 'k', '--bogus'], "Unknown option '--bogus'"],
    [['--tls-cert', 'c', '--tls-key', 'k', 'extra'], 'extra'],
  ])('rejects %j with a message naming %s', (args, expected) => {
    expect(error(args)).toContain(expected);
  });

  it('reads the agent resources and UID, keeping the defaults not overridden', () => {
    const injection = config([...chartFilesArgs, '--agent-memory-limit', '128Mi', '--agent-cpu-request', '25m', '--agent-run-as-user', '1000']).injection;
    expect(injection.agentResources).toEqual({ requests: { cpu: '25m', memory: '32Mi' }, limits: { memory: '128Mi' } });
    expect(injection.agentRunAsUser).toBe(1000);
  });

  it('sets an agent CPU limit only when asked (a ResourceQuota on limits.cpu needs one)', () => {
    expect(config(chartFilesArgs).injection.agentResources.limits).toEqual({ memory: '64Mi' });
    expect(config([...chartFilesArgs, '--agent-cpu-limit', '100m']).injection.agentResources.limits).toEqual({ cpu: '100m', memory: '64Mi' });
  });

  it.each([
    [['--agent-cpu-limit', 'fast'], '--agent-cpu-limit'],
    [['--agent-memory-limit', 'lots'], '--agent-memory-limit'],
    [['--agent-run-as-user', '0'], '--agent-run-as-user'],
  ])('names the agent flag %j that is invalid', (extra, flag) => {
    expect(error([...chartFilesArgs, ...extra])).toContain(flag);
  });

  it('warns within 7 days of expiry and does not deny expired credentials by default', () => {
    expect(config(chartFilesArgs).expiry).toEqual({ warningMs: 7 * 86_400_000, denyExpired: false });
  });

  it('reads --expiry-warning as a duration and --deny-expired', () => {
    expect(config([...chartFilesArgs, '--expiry-warning', '36h', '--deny-expired']).expiry).toEqual({ warningMs: 36 * 3_600_000, denyExpired: true });
    expect(config([...chartFilesArgs, '--expiry-warning', '0']).expiry.warningMs).toBe(0);
    expect(error([...chartFilesArgs, '--expiry-warning', 'a week'])).toContain('--expiry-warning: must be a duration such as 7d, 168h or 0');
  });

  it('leaves mirroring off unless asked', () => {
    expect(config(chartFilesArgs).mirror).toEqual({ enabled: false, resyncMs: 60_000 });
  });

  it('reads the mirroring flags, with the Lease identity from POD_NAME', () => {
    const c = config([...chartSelfSignedArgs, '--mirror-cluster-credentials', '--mirror-resync', '2'], { POD_NAMESPACE: 'credinject-system', POD_NAME: 'credinject-7d9-x' });
    expect(c.mirror).toEqual({ enabled: true, resyncMs: 2000, identity: 'credinject-7d9-x' });
    expect(c.namespace).toBe('credinject-system');
  });

  it('asks for help', () => {
    expect(parseServeArgs(['--help'])).toEqual({ help: true });
  });
});
