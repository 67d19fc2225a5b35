/**
 * `helm template` of charts/credinject with values given as an object (passed on stdin as JSON,
 * which is YAML), read back as objects.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import type { KubernetesObject } from '@kubernetes/client-node';

import { parseManifests } from '../deploy/deployManifests.js';
import { repoRoot } from '../fixtures/runCli.js';
import { helmBinary } from '../fixtures/tools.js';

export const CHART = join(repoRoot, 'charts', 'credinject');
export const NAMESPACE = 'credinject-system';

function helmTemplate(values: object, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const helm = helmBinary();
  if (!helm) throw new Error('no helm at hand (run hack/helm.sh)');
  const result = spawnSync(helm, ['template', 'credinject', CHART, '--namespace', NAMESPACE, '-f', '-', ...args], {
    input: JSON.stringify(values),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The rendered objects (hooks included, like `helm template`); throws with helm's error. */
export function renderChart(values: object = {}, args: string[] = []): KubernetesObject[] {
  const result = helmTemplate(values, args);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

/** helm's error for values the chart must refuse; throws when they render. */
export function renderError(values: object): string {
  const result = helmTemplate(values, []);
  if (result.status === 0) throw new Error(`helm template accepted ${JSON.stringify(values)}`);
  return result.stderr;
}

/** The one object of `kind` (and `name`) among `objects`. */
export function only<T extends KubernetesObject>(objects: KubernetesObject[], kind: string, name?: string): T {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${found.length}`);
  return found[0] as T;
}
