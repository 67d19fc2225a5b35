import { z } from 'zod';

/** How the agent sidecar is added: native sidecar (K8s >= 1.29) or init + plain sidecar. */
export const SidecarMode = z.enum(['native', 'legacy']);
export type SidecarMode = z.infer<typeof SidecarMode>;

/** A Kubernetes resource quantity such as `10m`, `32Mi`, `0.5`. */
const Quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, 'must be a resource quantity such as 10m or 32Mi');
const ResourceList = z.strictObject({ cpu: Quantity.optional(), memory: Quantity.optional() });

/** Settings of the injection engine, validated once at the edge (server flags, CLI flags). */
export const InjectionOptions = z.object({
  agentImage: z.string().min(1).default('ghcr.io/credinject/credinject:0.1.0'),
  agentImagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  sidecarMode: SidecarMode.default('native'),
  agentResources: z
    .object({ requests: ResourceList.optional(), limits: ResourceList.optional() })
    .default({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } }),
  /** UID the agent runs as when the pod does not say; never root. */
  agentRunAsUser: z.number().int().positive().default(65532),
});
export type InjectionOptions = z.infer<typeof InjectionOptions>;

/** Options with every default applied. */
export const defaultInjectionOptions: InjectionOptions = InjectionOptions.parse({});
