import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { isAgentContainer } from './agentSidecar.js';
import { keys } from '../contract/keys.js';
import type { InjectionRequest } from './injectionRequest.js';
import type { Finding } from '../contract/decision.js';

/**
 * The containers to inject into: those named by `credinject.dev/containers` (init containers only
 * when named: least privilege), else every app container. Never credinject's own agent.
 */
export function targetContainers(spec: V1PodSpec, request: InjectionRequest): { targets: V1Container[]; findings: Finding[] } {
  const containers = (spec.containers ?? []).filter((c) => !isAgentContainer(c.name));
  const initContainers = (spec.initContainers ?? []).filter((c) => !isAgentContainer(c.name));
  if (request.containers === undefined) return { targets: containers, findings: [] };
  const byName = new Map([...initContainers, ...containers].map((c) => [c.name, c]));
  const targets: V1Container[] = [];
  const findings: Finding[] = [];
  for (const name of request.containers) {
    const container = byName.get(name);
    if (container) {
      targets.push(container);
    } else {
      const known = [...byName.keys()].map((n) => `"${n}"`).join(', ') || 'none';
      findings.push({ reason: 'UnknownContainer', message: `container "${name}" named in ${keys.containers} does not exist; containers are ${known}` });
    }
  }
  if (request.containers.length === 0) {
    findings.push({ reason: 'InvalidAnnotation', message: `${keys.containers} is empty; name containers or remove the annotation` });
  }
  return { targets, findings };
}
