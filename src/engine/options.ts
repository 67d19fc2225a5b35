import { z } from 'zod';
import { quantityPattern, quantityValue } from './quantity.js';

/** How the agent sidecar is added: native sidecar (K8s >= 1.29) or init + plain sidecar. */
export const SidecarMode = z.enum(['native', 'legacy']);
export type SidecarMode = z.infer<typeof SidecarMode>;

/** A Kubernetes resource quantity such as `10m`, `32Mi`, `0.5`. */
const Quantity = z.string().regex(quantityPattern, 'must be a resource quantity such as 10m or 32Mi');

/** The range a pod's `credinject.dev/agent` may ask for one resource; min must not exceed max. */
function bound(min: string, max: string) {
  return z
    .object({ min: Quantity.default(min), max: Quantity.default(max) })
    .prefault({})
    .refine((range) => (quantityValue(range.min) ?? 0) <= (quantityValue(range.max) ?? 0), { message: 'min must not be above max', path: ['min'] });
}

/** Settings of the injection engine, validated once at the edge (server flags, CLI flags). */
export const InjectionOptions = z.object({
  agentImage: z.string().min(1).default('ghcr.io/credinject/credinject:0.1.0'),
  agentImagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  sidecarMode: SidecarMode.default('native'),
  /** Each field defaults on its own, so a flag that sets one keeps the others' defaults. */
  agentResources: z
    .object({
      requests: z.object({ cpu: Quantity.default('10m'), memory: Quantity.default('32Mi') }).prefault({}),
      limits: z.object({ cpu: Quantity.optional(), memory: Quantity.default('64Mi') }).prefault({}),
    })
    .prefault({}),
  /**
   * What a pod may ask for its agent with `credinject.dev/agent` (`cpu=…`, `memory=…`): outside the
   * range it is denied naming the bound, so one team cannot take a node's memory for a sidecar.
   */
  agentBounds: z.object({ cpu: bound('1m', '500m'), memory: bound('16Mi', '512Mi') }).prefault({}),
  /** UID the agent runs as when the pod does not say; never root. */
  agentRunAsUser: z.number().int().positive().default(65532),
});
export type InjectionOptions = z.infer<typeof InjectionOptions>;

/** Options with every default applied. */
export const defaultInjectionOptions: InjectionOptions = InjectionOptions.parse({});
