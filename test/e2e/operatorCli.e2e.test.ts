/**
 * The operator's CLI against a real kube-apiserver, run as the built executable with the admin
 * kubeconfig: `create` server-side applies a cluster credential that the Secrets webhook accepts;
 * the Lease-elected mirror controller copies it; `describe` shows the copy, and the Deployment that
 * uses it with how; `list -o wide` shows CREATED BY (the field manager credinject). No value is printed.
 */
import { spawnSync } from 'node:child_process';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { pollUntil, startControlPlane, type ControlPlane } from './harness/controlPlane.js';
import { CLI_ENTRY, startCredinjectServer, type CredinjectServer } from './harness/credinjectServer.js';
import { isNotFound, waitForCredentialsCached } from './harness/kube.js';
import { announceSkip, binDir, skipE2E } from './harness/suite.js';
import { registerWebhooks } from './harness/webhooks.js';

announceSkip('operator CLI');

const INJECTOR = 'credinject-system';
const NAME = 'hf-team';
const TOKEN = 'hf_e2e_operator_cli_token_never_printed';

describe.skipIf(skipE2E)('create, describe and list against the API server', () => {
  let cp: ControlPlane;
  let server: CredinjectServer;
  let core: CoreV1Api;
  let team: string;

  const cli = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, [CLI_ENTRY, ...args, '--kubeconfig', cp.kubeconfigPath], { input, encoding: 'utf8', timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    cp = await startControlPlane(binDir ? { binDir } : {});
    core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: INJECTOR } } });
    server = await startCredinjectServer(cp, { logName: 'credinject-cli', extraArgs: ['--mirror-cluster-credentials', '--mirror-resync', '2'] });
    await registerWebhooks(cp.kubeConfig, { url: server.url, caPem: server.caPem! });
    team = `team-${Date.now().toString(36)}`;
    await core.createNamespace({ body: { metadata: { name: team, labels: { team: 'ml' } } } });
    await cp.waitForDefaultServiceAccount(team, 30_000);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await cp?.stop();
  }, 90_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.error(`--- credinject log (tail) ---\n${server.logTail(40)}`);
  });

  it('create --dry-run=server goes through the webhook and stores nothing', async () => {
    const { code, stdout, stderr } = cli(['create', 'huggingface', NAME, '-n', INJECTOR, '--from-file', 'token=-', '--scope', 'cluster', '--namespace-selector', 'team=ml', '--dry-run=server', '-o', 'json'], TOKEN);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'Secret', metadata: { name: NAME, labels: { 'credinject.dev/type': 'huggingface' } } });
    const stored = await core.readNamespacedSecret({ namespace: INJECTOR, name: NAME }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
    expect(stored).toBeUndefined();
  });

  it('create --dry-run=none server-side applies a credential the webhook accepts, as field manager credinject', async () => {
    const { code, stdout, stderr } = cli(
      ['create', 'huggingface', NAME, '-n', INJECTOR, '--from-file', 'token=-', '--scope', 'cluster', '--namespace-selector', 'team=ml', '--description', 'team HF token', '--dry-run=none'],
      TOKEN,
    );
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `secret/${NAME} serverside-applied\n`, stderr: '' });
    const stored = await core.readNamespacedSecret({ namespace: INJECTOR, name: NAME });
    expect(stored.metadata?.labels).toMatchObject({ 'credinject.dev/type': 'huggingface', 'credinject.dev/scope': 'cluster' });
    expect(stored.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual(['credinject', 'Apply']);
    expect(Buffer.from(stored.data?.['token'] ?? '', 'base64').toString()).toBe(TOKEN);
  });

  it('create refuses an invalid credential before the API server, naming the key', () => {
    const { code, stderr } = cli(['create', 'aws', 'half', '-n', team, '--from-file', 'access_key_id=-', '--dry-run=none'], TOKEN);
    expect(code).toBe(1);
    expect(stderr).toContain('missing required key "secret_access_key"');
    expect(stderr).not.toContain(TOKEN);
  });

  it('describe shows the mirror and the Deployment that uses it, with how', async () => {
    await pollUntil(`the mirror in ${team}`, () => core.readNamespacedSecret({ namespace: team, name: NAME }).catch(() => undefined), 30_000);
    await waitForCredentialsCached(cp.kubeConfig, team, [NAME]);
    const apps = cp.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: team,
      body: {
        metadata: { name: 'trainer', annotations: { 'credinject.dev/inject': NAME } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'trainer' } },
          template: { metadata: { labels: { app: 'trainer' } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/train:1' }] } },
        },
      },
    });

    const copy = cli(['describe', NAME, '-n', team]);
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain(`Scope:        mirror of ${INJECTOR}/${NAME}\n`);
    expect(copy.stdout).toContain('Description:  team HF token\n');
    expect(copy.stdout).toMatch(/ {2}Deployment\/trainer +env\n {4}Env: {10}HF_TOKEN, HUGGING_FACE_HUB_TOKEN\n/);

    const source = await pollUntil(
      'the source described with an up-to-date copy',
      async () => {
        const result = cli(['describe', NAME, '-n', INJECTOR]);
        return result.stdout.includes(`  ${team}`) && /up to date\n/.test(result.stdout) ? result : undefined;
      },
      30_000,
    );
    expect(source.stdout).toContain('Scope:        cluster\n');
    expect(source.stdout).toMatch(new RegExp(`Mirrors: +selector "team=ml": 1 up to date, 0 pending`));
    expect(source.stdout + copy.stdout).not.toContain(TOKEN);
  });

  it('list -o wide shows CREATED BY from managedFields', () => {
    const { code, stdout } = cli(['list', '-n', INJECTOR, '-o', 'wide']);
    expect(code).toBe(0);
    const [header, row] = stdout.split('\n');
    expect(header).toMatch(/DESCRIPTION +CREATED BY +KEYS$/);
    expect(row).toMatch(new RegExp(`^${NAME} +${INJECTOR} +huggingface +cluster +valid +0 +0 +\\S+ +team HF token +credinject +token$`));
    expect(stdout).not.toContain(TOKEN);
  });
});
