import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { staticCredentials } from '../../src/credentials/staticCredentials.js';
import { agentContainerName, agentInitContainerName } from '../../src/engine/agentSidecar.js';
import { parseAgentSettings } from '../../src/engine/agentSettings.js';
import { defaultInjectionOptions, InjectionOptions, type SidecarMode } from '../../src/engine/options.js';
import { planAdmission } from '../../src/engine/planAdmission.js';
import { quantityValue } from '../../src/engine/quantity.js';
import { applied, podRequesting } from '../fixtures/pods.js';
import { exampleSecrets } from '../fixtures/secrets.js';

const credentials = staticCredentials(exampleSecrets(), 'default');
const options = (sidecarMode: SidecarMode = 'native', bounds = {}) => InjectionOptions.parse({ sidecarMode, agentBounds: bounds });

function renderingPod(agent: string | undefined, restartPolicy?: string): V1Pod {
  const annotations: Record<string, string> = { 'credinject.dev/render': 'hf-token:huggingface-token' };
  if (agent !== undefined) annotations['credinject.dev/agent'] = agent;
  const pod = podRequesting(undefined, { annotations });
  if (restartPolicy) pod.spec!.restartPolicy = restartPolicy;
  return pod;
}

function plan(pod: V1Pod, injection = options()) {
  return planAdmission({ object: pod, namespace: 'default', operation: 'CREATE' }, credentials, injection);
}

function injected(pod: V1Pod, injection = options()): V1Pod {
  const decision = plan(pod, injection);
  expect(decision.denial).toBeUndefined();
  return applied(pod, decision.patch);
}

const names = (containers: { name: string }[] | undefined) => (containers ?? []).map((item) => item.name);

describe('credinject.dev/agent mode', () => {
  it.each<[string, string | undefined, SidecarMode, string[], string[]]>([
    ['the native sidecar by default', undefined, 'native', [agentContainerName], ['app']],
    ['the native sidecar for mode=sidecar', 'mode=sidecar', 'native', [agentContainerName], ['app']],
    ['one init container that renders once for init-only', 'mode=init-only', 'native', [agentInitContainerName], ['app']],
    ['the legacy init container and sidecar for mode=sidecar', 'mode=sidecar', 'legacy', [agentInitContainerName], ['app', agentContainerName]],
    ['no legacy sidecar for init-only', 'mode=init-only', 'legacy', [agentInitContainerName], ['app']],
  ])('gives %s', (_case, agent, mode, inits, apps) => {
    const pod = injected(renderingPod(agent), options(mode));
    expect(names(pod.spec?.initContainers)).toEqual(inits);
    expect(names(pod.spec?.containers)).toEqual(apps);
  });

  it('runs init-only as a plain init container: `agent --once`, no restartPolicy, no startup probe', () => {
    const [agent] = injected(renderingPod('mode=init-only')).spec?.initContainers ?? [];
    expect(agent?.args).toEqual(['agent', '--once']);
    expect(agent?.restartPolicy).toBeUndefined();
    expect(agent?.startupProbe).toBeUndefined();
  });

  it('is idempotent for init-only: a second pass changes nothing', () => {
    const pod = injected(renderingPod('mode=init-only'));
    expect(plan(pod).patch).toEqual([]);
  });
});

describe('credinject.dev/agent resources', () => {
  it.each([
    ['the requests it asks for', 'cpu=50m, memory=48Mi', { requests: { cpu: '50m', memory: '48Mi' }, limits: { memory: '64Mi' } }],
    ['a memory limit raised to a larger request', 'memory=128Mi', { requests: { cpu: '10m', memory: '128Mi' }, limits: { memory: '128Mi' } }],
    ["the operator's resources without settings", undefined, { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } }],
  ])('gives the agent %s', (_case, agent, resources) => {
    const [container] = injected(renderingPod(agent)).spec?.initContainers ?? [];
    expect(container?.resources).toEqual(resources);
  });

  it.each([
    ['cpu above the maximum', 'cpu=2', "credinject.dev/agent cpu=2 is above the operator's maximum 500m (serve --agent-max-cpu); ask for at most 500m"],
    ['memory above the maximum', 'memory=1Gi', "credinject.dev/agent memory=1Gi is above the operator's maximum 512Mi (serve --agent-max-memory)"],
    ['cpu below the minimum', 'cpu=0.1m', "credinject.dev/agent cpu=0.1m is below the operator's minimum 1m (serve --agent-min-cpu); ask for at least 1m"],
    ['memory below the minimum', 'memory=1Mi', "credinject.dev/agent memory=1Mi is below the operator's minimum 16Mi (serve --agent-min-memory); ask for at least 16Mi"],
  ])('denies %s, naming the bound', (_case, agent, message) => {
    expect(plan(renderingPod(agent)).denial?.message).toContain(message);
  });

  it("takes the operator's bounds from its options", () => {
    const wide = options('native', { cpu: { max: '2' } });
    expect(plan(renderingPod('cpu=2'), wide).denial).toBeUndefined();
  });

  it('refuses bounds whose minimum is above their maximum', () => {
    expect(InjectionOptions.safeParse({ agentBounds: { memory: { min: '1Gi', max: '64Mi' } } }).success).toBe(false);
  });

  it('warns that settings are ignored on a pod the agent does not run in', () => {
    const pod = podRequesting('aws-s3', { annotations: { 'credinject.dev/agent': 'mode=init-only' } });
    expect(plan(pod).warnings).toEqual(['credinject.dev/agent is ignored: no credential of this pod is rendered by the agent']);
  });
});

describe('parseAgentSettings', () => {
  it.each([
    ['mode=init-only, cpu=50m, memory=64Mi', { mode: 'init-only', cpu: '50m', memory: '64Mi' }],
    [' memory = 1Gi ', { memory: '1Gi' }],
  ])('reads %j', (text, settings) => {
    expect(parseAgentSettings(text)).toEqual({ settings, problems: [] });
  });

  it.each([
    ['mode=daemon', 'credinject.dev/agent mode must be sidecar or init-only, not "daemon"'],
    ['gpu=1', 'credinject.dev/agent entry "gpu=1" must be mode=sidecar|init-only, cpu=<quantity> or memory=<quantity>'],
    ['cpu', 'credinject.dev/agent entry "cpu" must be'],
    ['cpu=lots', 'credinject.dev/agent cpu=lots is not a resource quantity such as 50m'],
    ['cpu=10m, cpu=20m', 'credinject.dev/agent sets cpu twice'],
    [' , ', 'credinject.dev/agent is empty'],
  ])('refuses %j', (text, problem) => {
    const { problems } = parseAgentSettings(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('denies a pod with a bad setting at admission', () => {
    expect(plan(renderingPod('mode=daemon')).denial?.message).toContain('credinject.dev/agent mode must be sidecar or init-only');
  });
});

describe('quantityValue', () => {
  it.each([
    ['50m', 0.05],
    ['2', 2],
    ['0.5', 0.5],
    ['64Mi', 64 * 2 ** 20],
    ['1G', 1e9],
    ['1Gi', 2 ** 30],
  ])('reads %s as %d', (text, value) => {
    expect(quantityValue(text)).toBe(value);
  });

  it.each(['', '-1', '1e3', '10 m', '1Pi'])('refuses %j', (text) => {
    expect(quantityValue(text)).toBeUndefined();
  });
});
