import type { V1Pod } from '@kubernetes/client-node';
import type { PodTemplate } from './injectPodTemplate.js';

/**
 * A copy of a Pod (or pod template) that shares every subtree injection never writes into. The
 * engine only ever replaces arrays and objects on the copied levels (pod, metadata, spec, each
 * container), so the original stays untouched and the diff can skip shared subtrees by reference.
 */
export function copyForInjection<T extends PodTemplate | V1Pod>(template: T): T {
  const copy = { ...template };
  if (template.metadata) copy.metadata = { ...template.metadata };
  if (template.spec) {
    const spec = { ...template.spec };
    spec.containers = (template.spec.containers ?? []).map((container) => ({ ...container }));
    if (template.spec.initContainers) spec.initContainers = template.spec.initContainers.map((container) => ({ ...container }));
    copy.spec = spec;
  }
  return copy;
}
