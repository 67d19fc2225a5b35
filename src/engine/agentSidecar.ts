import type { V1Container, V1PodSpec, V1ResourceRequirements } from '@kubernetes/client-node';
import { type AgentPlan, agentPaths, agentPlanEnv } from '../contract/agentPlan.js';
import { type Contribution, readableMode } from './credentialContribution.js';
import { isSubset } from './isSubset.js';
import type { InjectionOptions } from './options.js';
import { type AgentSettings, agentResources } from './agentSettings.js';
import { keys } from '../contract/keys.js';
import { shortWarning } from '../contract/warnings.js';
import type { Finding } from '../contract/decision.js';

export const agentContainerName = 'credinject-agent';
export const agentInitContainerName = 'credinject-agent-init';
/** The image's entry point; exec probes do not go through ENTRYPOINT. */
const agentEntry = ['node', '/app/dist/cli/main.js'];

/** The agent's plan: one output per rendered format of each credential. */
export function agentPlan(contributions: readonly Contribution[], fsGroup: number | undefined): AgentPlan | undefined {
  // Owner-only formats (pgpass) stay 0400 whatever the pod's mode says: libpq ignores anything wider.
  const outputs = contributions.flatMap(({ credential, rendered }) =>
    (rendered?.outputs ?? []).map(({ format, fileName, ownerOnly, ...settings }) => ({
      credential: credential.name,
      format,
      sourceDir: `${agentPaths.secretsRoot}/${credential.name}`,
      path: `${agentPaths.renderedRoot}/${credential.name}/${fileName}`,
      mode: ownerOnly ? 0o400 : (rendered?.fileMode ?? readableMode(fsGroup)),
      ...settings,
    })),
  );
  return outputs.length > 0 ? { version: 1, outputs } : undefined;
}

/** The UID the agent runs as: the pod's, else the operator's (never root: a pod-level 0 is replaced). */
export function agentRunAsUser(spec: V1PodSpec, options: InjectionOptions): number {
  return spec.securityContext?.runAsUser || options.agentRunAsUser;
}

function agentContainer(
  name: string,
  args: string[],
  plan: AgentPlan,
  contributions: readonly Contribution[],
  spec: V1PodSpec,
  options: InjectionOptions,
  resources: V1ResourceRequirements,
): V1Container {
  const runAsUser = agentRunAsUser(spec, options);
  const runAsGroup = spec.securityContext?.fsGroup ?? spec.securityContext?.runAsGroup ?? runAsUser;
  return {
    name,
    image: options.agentImage,
    imagePullPolicy: options.agentImagePullPolicy,
    args,
    env: [{ name: agentPlanEnv, value: JSON.stringify(plan) }],
    resources,
    securityContext: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: contributions.flatMap(({ credential, rendered }) =>
      rendered
        ? [
            { name: rendered.secretVolume.name, mountPath: `${agentPaths.secretsRoot}/${credential.name}`, readOnly: true },
            { name: rendered.outputVolume.name, mountPath: `${agentPaths.renderedRoot}/${credential.name}` },
          ]
        : [],
    ),
  };
}

/** Put `container` in `list` at its name's place, or at the front/back when absent; unchanged if ours already. */
function place(list: V1Container[] | undefined, container: V1Container, front: boolean): V1Container[] {
  const items = [...(list ?? [])];
  const index = items.findIndex((item) => item.name === container.name);
  if (index >= 0) {
    if (!isSubset(container, items[index])) items[index] = container;
    return items;
  }
  return front ? [container, ...items] : [...items, container];
}

/**
 * Add the agent that renders files for the app containers. Native mode: one init container with
 * `restartPolicy: Always` placed first, so init containers after it see the files. Legacy mode: an
 * init container that renders once, plus a plain sidecar that keeps files fresh — left out for pods
 * meant to finish (Jobs), which a never-ending sidecar would keep running. A pod's `init-only`
 * (`credinject.dev/agent`) keeps only the init container that renders once, in either mode.
 */
export function injectAgent(spec: V1PodSpec, contributions: readonly Contribution[], options: InjectionOptions, settings?: AgentSettings): { findings: Finding[]; warnings: string[] } {
  const fsGroup = spec.securityContext?.fsGroup;
  const plan = agentPlan(contributions, fsGroup);
  if (!plan) return { findings: [], warnings: settings ? [shortWarning(`${keys.agent} is ignored: no credential of this pod is rendered by the agent`)] : [] };
  const { resources, findings } = agentResources(settings, options);
  if (findings.length > 0) return { findings, warnings: [] };
  return { findings: placeAgent(spec, plan, contributions, options, resources, settings?.mode === 'init-only'), warnings: [] };
}

function placeAgent(
  spec: V1PodSpec,
  plan: AgentPlan,
  contributions: readonly Contribution[],
  options: InjectionOptions,
  resources: V1ResourceRequirements,
  initOnly: boolean,
): Finding[] {
  // The agent's securityContext (seccomp, capabilities, runAsUser, read-only root) is Linux-only,
  // and the API server refuses those fields on a Windows pod (ADMISSION-NOTES, "Windows pods").
  if (spec.os?.name === 'windows') {
    const rendered = contributions.filter(({ rendered: files }) => files).map(({ credential }) => `"${credential.name}"`);
    return [{
      reason: 'Unsupported',
      message: `${rendered.length === 1 ? 'credential' : 'credentials'} ${rendered.join(', ')} ${rendered.length === 1 ? 'needs' : 'need'} the credinject agent, which runs on Linux only, and this Pod sets spec.os.name windows; use env or file credentials, or run it on Linux`,
    }];
  }
  // A container of ours carries the plan; one without it is the user's and must not be replaced.
  const squatter = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].find(
    (container) => isAgentContainer(container.name) && !(container.env ?? []).some((variable) => variable.name === agentPlanEnv),
  );
  if (squatter) {
    return [{ reason: 'Conflict', message: `container name "${squatter.name}" is reserved for the credinject agent; rename that container` }];
  }
  if (options.sidecarMode === 'native' && !initOnly) {
    const agent = agentContainer(agentContainerName, ['agent'], plan, contributions, spec, options, resources);
    agent.restartPolicy = 'Always';
    agent.startupProbe = { exec: { command: [...agentEntry, 'agent', 'probe'] }, periodSeconds: 1, failureThreshold: 120 };
    spec.initContainers = place(spec.initContainers, agent, true);
    return [];
  }
  const once = agentContainer(agentInitContainerName, ['agent', '--once'], plan, contributions, spec, options, resources);
  spec.initContainers = place(spec.initContainers, once, true);
  if (initOnly || spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure') return [];
  spec.containers = place(spec.containers, agentContainer(agentContainerName, ['agent'], plan, contributions, spec, options, resources), false);
  return [];
}

/** Our own containers are never injection targets. */
export function isAgentContainer(name: string): boolean {
  return name === agentContainerName || name === agentInitContainerName;
}
