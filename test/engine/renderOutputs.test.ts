import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { AgentPlan } from '../../src/contract/agentPlan.js';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { applied, container, podRequesting } from '../fixtures/pods.js';
import { credentialSecret, exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');

function plan(pod: V1Pod, lookup = credentials) {
  return planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, lookup, defaultInjectionOptions);
}

const rendering = (render: string, annotations: Record<string, string> = {}) => podRequesting(undefined, { annotations: { 'credinject.dev/render': render, ...annotations } });

/** The injected pod, its app container's env and the agent's plan. */
function injected(pod: V1Pod, lookup = credentials) {
  const decision = plan(pod, lookup);
  if (decision.denial) throw new Error(decision.denial.message);
  const result = applied(pod, decision.patch);
  const agent = container(result, 'credinject-agent');
  const planEnv = agent.env?.find((variable) => variable.name === 'CREDINJECT_AGENT_PLAN')?.value ?? '{}';
  return { pod: result, env: container(result, 'app').env ?? [], plan: JSON.parse(planEnv) as AgentPlan, warnings: decision.warnings };
}

const only = (data: Record<string, string>, annotations: Record<string, string> = {}, type = 'generic') =>
  staticCredentials([credentialSecret('c', type, data, { metadata: { annotations } })], 'default');

describe('the built-in formats the agent renders', () => {
  it('wandb:netrc: NETRC points at the rendered file, the key stays env, the plan names keys and the host, never values', () => {
    const { env, plan: agentPlan } = injected(rendering('wandb:netrc'));
    expect(env).toContainEqual({ name: 'NETRC', value: '/var/run/credinject/wandb/netrc' });
    expect(env).toContainEqual({ name: 'WANDB_API_KEY', valueFrom: { secretKeyRef: { name: 'wandb', key: 'WANDB_API_KEY' } } });
    expect(agentPlan.outputs).toEqual([
      {
        credential: 'wandb',
        format: 'netrc',
        sourceDir: '/var/run/credinject/secrets/wandb',
        path: '/var/run/credinject/rendered/wandb/netrc',
        mode: 0o444,
        login: { passwordKey: 'WANDB_API_KEY', host: 'api.wandb.ai' },
      },
    ]);
    expect(JSON.stringify(agentPlan)).not.toContain('fake-wandb-api-key');
  });

  it('git-credentials: a credential helper through GIT_CONFIG_*, answering get only, the path shell-quoted', () => {
    const lookup = only({ host: 'git.example.com', token: 't' });
    const { env } = injected(rendering('c:git-credentials', { "mount-path.credinject.dev/c": "/etc/it's git" }), lookup);
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'GIT_CONFIG_COUNT', value: '1' },
        { name: 'GIT_CONFIG_KEY_0', value: 'credential.helper' },
        { name: 'GIT_CONFIG_VALUE_0', value: `!f() { if [ "$1" = get ]; then git credential-store --file='/etc/it'\\''s git/git-credentials' get; fi; }; f` },
      ]),
    );
  });

  it('huggingface-token: HF_TOKEN_PATH (not HF_HOME, which would move the model cache)', () => {
    const { env, plan: agentPlan } = injected(rendering('hf-token:huggingface-token'));
    expect(env).toContainEqual({ name: 'HF_TOKEN_PATH', value: '/var/run/credinject/hf-token/token' });
    expect(env.some((variable) => variable.name === 'HF_HOME')).toBe(false);
    expect(agentPlan.outputs[0]?.login).toEqual({ passwordKey: 'token' });
  });

  it('pgpass: PGPASSFILE, the file 0400 (libpq ignores a wider one), "*" where the credential has no port or database', () => {
    const pod = rendering('postgres:pgpass');
    pod.spec!.securityContext = { runAsUser: 1000 };
    const { env, plan: agentPlan, warnings } = injected(pod);
    expect(env).toContainEqual({ name: 'PGPASSFILE', value: '/var/run/credinject/postgres/pgpass' });
    expect(agentPlan.outputs[0]).toMatchObject({ mode: 0o400, login: { passwordKey: 'password', host: 'mlflow-db.example.com', usernameKey: 'username' } });
    expect(warnings).toEqual([]);
  });

  it('pgpass: warns when an app container may run as another UID than the agent, which owns the 0400 file', () => {
    expect(injected(rendering('postgres:pgpass')).warnings).toEqual(['pgpass of "postgres" is 0400 for UID 65532: run container "app" as UID 65532 (pod runAsUser)']);
    const pod = rendering('postgres:pgpass');
    pod.spec!.securityContext = { runAsUser: 1000 };
    pod.spec!.containers[0]!.securityContext = { runAsUser: 2000 };
    expect(injected(pod).warnings).toEqual(['pgpass of "postgres" is 0400 for UID 1000: run container "app" as UID 1000 (pod runAsUser)']);
  });

  it('env-file: the env names the container gets, prefix included, in order; no env var names it', () => {
    const { env, plan: agentPlan } = injected(rendering('postgres:env-file'));
    expect(agentPlan.outputs[0]).toMatchObject({ path: '/var/run/credinject/rendered/postgres/.env', env: [{ name: 'POSTGRES_USERNAME', key: 'username' }, { name: 'POSTGRES_PASSWORD', key: 'password' }] });
    expect(env.map((variable) => variable.name)).toEqual(['POSTGRES_USERNAME', 'POSTGRES_PASSWORD']);
  });

  it('renders a generic credential into the pod mount path instead of mounting its keys as files', () => {
    const { pod } = injected(rendering('wandb:env-file', { 'mount-path.credinject.dev/wandb': '/etc/wandb' }));
    expect(container(pod, 'app').volumeMounts).toEqual([{ name: 'credinject-wandb-rendered', mountPath: '/etc/wandb', readOnly: true }]);
  });

  it.each([
    ['a login without a host', only({ token: 't' }), 'c:netrc', 'credential "c" cannot be rendered as netrc: it needs a host: key "host" or annotation credinject.dev/host (e.g. "api.wandb.ai")'],
    ['a login without a password', only({ API: 'k' }, { 'credinject.dev/host': 'h.example.com' }), 'c:pgpass', 'it needs a password or token: key "password" or "token", or annotation credinject.dev/password-key naming the key'],
    ['netrc for a host with a port', only({ token: 't' }, { 'credinject.dev/host': 'h.example.com:8443' }), 'c:netrc', 'netrc matches host names only, and credinject.dev/host has a port'],
    ['a format the type does not render', credentials, 'aws-s3:netrc', 'credential "aws-s3" (type aws) cannot be rendered as netrc; it renders aws-credentials, env-file, template'],
  ])('denies %s, saying what to add', (_case, lookup, render, message) => {
    expect(plan(rendering(render), lookup).denial?.message).toContain(message);
  });
});

describe('templates', () => {
  it('clearml:template: one output per file of the annotation, carrying its template', () => {
    const { env, plan: agentPlan } = injected(rendering('clearml:template'));
    expect(agentPlan.outputs).toEqual([
      {
        credential: 'clearml',
        format: 'template',
        sourceDir: '/var/run/credinject/secrets/clearml',
        path: '/var/run/credinject/rendered/clearml/clearml.conf',
        mode: 0o444,
        template: expect.stringContaining('access_key: "{{CLEARML_API_ACCESS_KEY}}"'),
      },
    ]);
    // The keys stay env (generic); templates add no variable of their own.
    expect(env.map((variable) => variable.name)).toEqual(['CLEARML_API_ACCESS_KEY', 'CLEARML_API_HOST', 'CLEARML_API_SECRET_KEY']);
  });

  it('renders templates beside a built-in format of the same credential', () => {
    const lookup = only({ host: 'h.example.com', token: 't' }, { 'credinject.dev/templates': 'url: "https://{{host}}"' });
    expect(injected(rendering('c:template, c:netrc'), lookup).plan.outputs.map((output) => output.path.split('/').pop())).toEqual(['url', 'netrc']);
  });

  it.each([
    ['no templates annotation', only({ token: 't' }), 'credential "c" has no credinject.dev/templates annotation to render; add it to the Secret or drop "c:template"'],
    ['a template file named like a format it also renders', only({ host: 'h.example.com', token: 't' }, { 'credinject.dev/templates': 'netrc: "{{token}}"' }), 'would render two files named "netrc" (template and netrc)'],
    ['a template naming a key it lacks (admitted before credinject checked)', only({ token: 't' }, { 'credinject.dev/templates': 'a: "{{nope}}"' }), 'credential "c" is invalid: annotation credinject.dev/templates: the template of "a" uses key "nope"'],
  ])('denies %s', (_case, lookup, message) => {
    const render = message.includes('"netrc"') ? 'c:template, c:netrc' : 'c:template';
    expect(plan(rendering(render), lookup).denial?.message).toContain(message);
  });
});
