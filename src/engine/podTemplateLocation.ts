/** Path from a workload's root to its pod template, by kind (DESIGN §2). */
const templatePaths: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Kinds whose pod template credinject handles. */
export const workloadKinds: readonly string[] = Object.keys(templatePaths);

/** The path of the pod template inside a workload of this kind, or undefined for other kinds. */
export function podTemplatePath(kind: string | undefined): readonly string[] | undefined {
  return kind === undefined ? undefined : templatePaths[kind];
}

/** Read the value at a path of plain JSON, or undefined when any step is missing. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}
