import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../fixtures/runCli.js';
import { parseServeArgs } from '../../src/cli/serve.js';
import { injectionFlags } from '../../src/cli/serveFlags.js';
import { injectObject } from '../../src/engine/injectObject.js';
import { fileView } from '../../src/view/fileView.js';

const examples = ['-f', 'examples/workloads.yaml', '--credentials', 'examples/credentials.yaml'];

function documents(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

describe('credinject inject', () => {
  it('injects the shipped examples: the Pod and the pod templates of the Deployment and CronJob', () => {
    const { code, stdout, stderr } = runCli(['inject', ...examples]);
    expect(code).toBe(0);
    const [pod, deployment, cron] = documents(stdout);
    expect(pod.metadata.annotations['credinject.dev/status']).toBe('injected');
    expect(pod.spec.containers[0].env.map((e: { name: string }) => e.name)).toContain('AWS_ACCESS_KEY_ID');
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(cron.spec.jobTemplate.spec.template.spec.initContainers[0].name).toBe('credinject-agent');
    expect(stderr).toContain('Warning: Pod/trainer: container "train" keeps its own AWS_REGION');
  });

  it('gives the same output when run on its own output (injection is idempotent)', () => {
    const once = runCli(['inject', ...examples]).stdout;
    const twice = runCli(['inject', '-f', '-', '--credentials', 'examples/credentials.yaml'], once);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toBe(once);
  });

  it('reads Lists and resolves credentials found in the input itself', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf', labels: { 'credinject.dev/type': 'huggingface' } }, stringData: { token: 't' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'credinject.dev/inject': 'hf' } }, spec: { containers: [{ name: 'c' }] } },
      ],
    });
    const { code, stdout } = runCli(['inject', '-f', '-'], list);
    expect(code).toBe(0);
    const [secret, pod] = documents(stdout);
    expect(secret.kind).toBe('Secret');
    expect(pod.spec.containers[0].env[0]).toEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } });
  });

  it('plans the agent for credinject.dev/render: "wandb:netrc" alone: NETRC in the app, the netrc in the plan, no value', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    credinject.dev/render: "wandb:netrc"\nspec:\n  containers: [{name: train}]\n';
    const { code, stdout } = runCli(['inject', '-f', '-', '--credentials', 'examples/credentials.yaml'], pod);
    expect(code).toBe(0);
    const [injected] = documents(stdout);
    const agent = injected.spec.initContainers.find((container: { name: string }) => container.name === 'credinject-agent');
    const plan = JSON.parse(agent.env.find((variable: { name: string }) => variable.name === 'CREDINJECT_AGENT_PLAN').value);
    expect(plan.outputs).toEqual([expect.objectContaining({ credential: 'wandb', format: 'netrc', path: '/var/run/credinject/rendered/wandb/netrc', login: { passwordKey: 'WANDB_API_KEY', host: 'api.wandb.ai' } })]);
    expect(injected.spec.containers[0].env).toContainEqual({ name: 'NETRC', value: '/var/run/credinject/wandb/netrc' });
    expect(stdout).not.toContain('fake-wandb-api-key');
  });

  it('exits 1 with the denial on stderr and prints nothing when an object would be denied', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    credinject.dev/inject: missing-one\nspec:\n  containers: [{name: c}]\n';
    const { code, stdout, stderr } = runCli(['inject', '-f', '-', '--credentials', 'examples/credentials.yaml'], pod);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Pod/p denied: credential "missing-one" not found in namespace "default"');
  });

  it('names the document and line of malformed YAML without a stack trace', () => {
    const { code, stderr } = runCli(['inject', '-f', '-'], 'kind: Pod\n---\nmetadata:\n  name: [unclosed\n');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^credinject inject: -: document 2, line \d+: invalid YAML/);
    expect(stderr).not.toContain('    at ');
  });

  it.each([
    ['inject: true', 'annotations: {credinject.dev/inject: true}', 'containers: [{name: a}]', 'metadata.annotations["credinject.dev/inject"] must be a string'],
    ['env: oops', 'annotations: {credinject.dev/inject: hf-token}', 'containers: [{name: a, env: oops}]', 'spec.containers[0].env must be a list'],
  ])('refuses a Pod with %s by the field, exit 1, not an internal error', (_name, annotations, containers, message) => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, ${annotations}}\nspec: {${containers}}\n`;
    const { code, stdout, stderr } = runCli(['inject', '-f', '-', '--credentials', 'examples/credentials.yaml'], pod);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Pod/p denied: ${message}`);
    expect(stderr).not.toContain('internal error');
  });

  describe("serve's agent flags", () => {
    const bounds = ['--agent-min-cpu', '20m', '--agent-max-cpu', '100m', '--agent-max-memory', '128Mi'];
    const agentPod = (settings: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    credinject.dev/render: "wandb:netrc"\n    credinject.dev/agent: "${settings}"\nspec:\n  containers: [{name: train}]\n`;
    const inject = (pod: string, flags: string[]) => runCli(['inject', '-f', '-', '--credentials', 'examples/credentials.yaml', ...flags], pod);

    it('takes every injection flag of serve, listed in its help from the same table', () => {
      const { stdout } = runCli(['inject', '--help']);
      for (const flag of injectionFlags) expect(stdout).toContain(`--${flag.name}`);
      expect(injectionFlags.map((flag) => flag.name)).toEqual(expect.arrayContaining(['agent-min-cpu', 'agent-max-cpu', 'agent-min-memory', 'agent-max-memory', 'agent-image', 'sidecar-mode']));
    });

    it('denies a pod asking for more than --agent-max-cpu, naming the bound, as the webhook with the same flags does', () => {
      const pod = agentPod('cpu=200m');
      const offline = inject(pod, bounds);
      expect(offline.code).toBe(1);
      expect(offline.stdout).toBe('');
      expect(offline.stderr).toContain("credinject.dev/agent cpu=200m is above the operator's maximum 100m (serve --agent-max-cpu)");
      // Defaults allow 200m: the flag, not the annotation alone, made the denial.
      expect(inject(pod, []).code).toBe(0);
      const served = parseServeArgs([...bounds, '--tls-cert', 'c', '--tls-key', 'k'], {});
      if (!('config' in served)) throw new Error(JSON.stringify(served));
      const { credentials } = fileView(documents(readFileSync('examples/credentials.yaml', 'utf8')), 'default');
      const webhook = injectObject(documents(pod)[0], 'default', credentials, served.config.injection);
      expect(offline.stderr).toContain(`Pod/p denied: ${webhook.denial?.message}`);
    });

    it('denies below --agent-min-cpu and accepts within the bounds, the request set on the agent', () => {
      expect(inject(agentPod('cpu=10m'), bounds).stderr).toContain("cpu=10m is below the operator's minimum 20m (serve --agent-min-cpu)");
      const { code, stdout } = inject(agentPod('cpu=50m, memory=100Mi'), [...bounds, '--agent-memory-limit', '64Mi']);
      expect(code).toBe(0);
      const agent = documents(stdout)[0].spec.initContainers.find((container: { name: string }) => container.name === 'credinject-agent');
      expect(agent.resources).toEqual({ requests: { cpu: '50m', memory: '100Mi' }, limits: { memory: '100Mi' } });
    });

    it('exits 2 naming the flag when a bound is not a quantity or min is above max', () => {
      const bad = inject(agentPod('cpu=50m'), ['--agent-max-cpu', 'lots']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('credinject inject: --agent-max-cpu: must be a resource quantity');
      const inverted = inject(agentPod('cpu=50m'), ['--agent-min-memory', '1Gi', '--agent-max-memory', '64Mi']);
      expect(inverted.code).toBe(2);
      expect(inverted.stderr).toContain('--agent-min-memory: min must not be above max');
    });
  });

  it('exits 2 with usage on a missing -f', () => {
    const { code, stderr } = runCli(['inject']);
    expect(code).toBe(2);
    expect(stderr).toContain('-f is required');
  });
});

describe('credinject validate', () => {
  it('accepts every shipped example credential', () => {
    const { code, stdout } = runCli(['validate', '-f', 'examples/credentials.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('15 valid, 0 invalid');
  });

  it('prints per-field errors and exits 1 for invalid credentials, without their values', () => {
    const bad = [
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: k\n  labels: {credinject.dev/type: kubernetes}\nstringData:\n  server: http://value-marker-1\n  ca_certificate: value-marker-2\n  token: value-marker-3\n',
    ].join('');
    const { code, stdout } = runCli(['validate', '-f', '-'], bad);
    expect(code).toBe(1);
    expect(stdout).toContain('invalid  k (kubernetes)');
    expect(stdout).toContain('server: key "server" must be an https:// URL');
    expect(stdout).toContain('ca_certificate: key "ca_certificate" is not a PEM certificate');
    expect(stdout).not.toContain('value-marker');
  });

  it('prints a warning under a valid credential whose env-prefix its type ignores', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: aws-x, labels: {credinject.dev/type: aws}, annotations: {credinject.dev/env-prefix: PROD_}}\nstringData: {access_key_id: a, secret_access_key: b}\n';
    const { code, stdout } = runCli(['validate', '-f', '-'], secret);
    expect(code).toBe(0);
    expect(stdout).toContain('ok       aws-x (aws)\n         warning: credential "aws-x": annotation credinject.dev/env-prefix is ignored, type aws takes no env prefix\n');
  });

  it.each([
    ['a name Kubernetes refuses', 'Invalid_Name', 'token: t', 'the Secret name must be a DNS-1123 subdomain'],
    ['a number in stringData', 'hf', 'token: 5432', 'token: stringData key "token" must be a string'],
  ])('refuses %s', (_name, name, data, message) => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, labels: {credinject.dev/type: huggingface}}\nstringData: {${data}}\n`;
    const { code, stdout } = runCli(['validate', '-f', '-'], secret);
    expect(code).toBe(1);
    expect(stdout).toContain(message);
  });

  it('exits 1 when the file holds no credential', () => {
    const { code, stderr } = runCli(['validate', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(code).toBe(1);
    expect(stderr).toContain('no credential Secrets');
  });

});
