/** Workload kinds whose pod template carries our annotations (DESIGN §2), with their API group. */
export const workloadGroups = {
  Deployment: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
} as const;
export type WorkloadKind = keyof typeof workloadGroups;
export const workloadKinds = Object.keys(workloadGroups) as WorkloadKind[];

type GroupKind = { group: string; kind: string };

/** Group and kind both count: a `Deployment` of some CRD group is not a workload we understand. */
export function isWorkload(gvk: GroupKind): boolean {
  return Object.hasOwn(workloadGroups, gvk.kind) && workloadGroups[gvk.kind as WorkloadKind] === gvk.group;
}

export function isSecret(gvk: GroupKind): boolean {
  return gvk.group === '' && gvk.kind === 'Secret';
}

export function isPod(gvk: GroupKind): boolean {
  return gvk.group === '' && gvk.kind === 'Pod';
}
