import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { removeStaleTemps, writeFileAtomic } from './atomicWrite.js';
import { type PlanResult, parsePlan } from './parsePlan.js';
import type { AgentOutput, AgentPlan } from '../contract/agentPlan.js';
import { agentPaths, agentPlanEnv } from '../contract/agentPlanNames.js';
import { OutsideOutputDirectory, prepareOutputDirectory } from './outputDirectory.js';
import { loadRenderer } from './render/index.js';
import { readDataTarget, readSecretVolume } from './secretVolume.js';

/** The part of a pino logger the agent uses; fields are names and paths only, never content. */
export interface AgentLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface WatchOptions {
  /** The only directory the agent writes below (default `agentPaths.renderedRoot`). */
  outputDir?: string;
  /** How often to read `..data` in case fs.watch misses an event (default 500 ms). */
  pollMs?: number;
  /** Quiet time after an event before re-checking, to fold kubelet's burst of renames (default 25 ms). */
  debounceMs?: number;
}

/** A running agent: `stop()` closes watchers and timers and waits for a render in progress. */
export interface RunningAgent {
  stop(): Promise<void>;
}

/**
 * The plan from `--plan-file` when given, else from the `CREDINJECT_AGENT_PLAN` env var. The message
 * says where the plan came from, so a bad plan is easy to trace to the engine or the user.
 */
export async function loadPlan(planFile: string | undefined, env: NodeJS.ProcessEnv = process.env, outputDir: string = agentPaths.renderedRoot): Promise<PlanResult> {
  let text: string;
  let source: string;
  if (planFile !== undefined) {
    source = `plan file ${planFile}`;
    try {
      text = await readFile(planFile, 'utf8');
    } catch (err) {
      return { ok: false, message: `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  } else {
    source = `$${agentPlanEnv}`;
    const value = env[agentPlanEnv];
    if (value === undefined || value.trim() === '') return { ok: false, message: `no plan: set ${source} or pass --plan-file` };
    text = value;
  }
  const result = parsePlan(text, outputDir);
  return result.ok ? result : { ok: false, message: `invalid plan in ${source}: ${result.message}` };
}

/** Outputs grouped by Secret volume: one read and one watcher per volume. */
function bySource(plan: AgentPlan): Map<string, AgentOutput[]> {
  const groups = new Map<string, AgentOutput[]>();
  for (const output of plan.outputs) groups.set(output.sourceDir, [...(groups.get(output.sourceDir) ?? []), output]);
  return groups;
}

const fieldsOf = ({ credential, format, path }: AgentOutput): object => ({ credential, format, path });
const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : 'error');

/**
 * Render every output of one Secret volume from one consistent version of it. A failure keeps the
 * previous file in place and logs why. Returns the version read (undefined if none) and failures.
 */
async function renderSource(sourceDir: string, outputs: readonly AgentOutput[], outputDir: string, log: AgentLog): Promise<{ target?: string; failed: number }> {
  const read = await readSecretVolume(sourceDir);
  if (!read.ok) {
    for (const output of outputs) log.error(fieldsOf(output), `render failed, kept the previous file: ${read.message}`);
    return { failed: outputs.length };
  }
  const { dataTarget, files } = read.volume;
  let failed = 0;
  for (const output of outputs) {
    const result = (await loadRenderer(output.format))(files, output.credential, output);
    if (!result.ok) {
      failed++;
      log.error({ ...fieldsOf(output), version: dataTarget }, `render failed, kept the previous file: ${result.message}`);
      continue;
    }
    try {
      await prepareOutputDirectory(output.path, outputDir);
      await writeFileAtomic(output.path, result.content, output.mode);
      log.info({ ...fieldsOf(output), version: dataTarget }, 'rendered');
    } catch (err) {
      failed++;
      const reason = err instanceof OutsideOutputDirectory ? err.message : errorCode(err);
      log.error({ ...fieldsOf(output), version: dataTarget }, `write failed, kept the previous file: ${reason}`);
    }
  }
  return { target: dataTarget, failed };
}

/** Render every output once (`--once`, the legacy init container). Returns how many failed. */
export async function renderPlan(plan: AgentPlan, log: AgentLog, outputDir: string = agentPaths.renderedRoot): Promise<number> {
  let failed = 0;
  for (const [sourceDir, outputs] of bySource(plan)) failed += (await renderSource(sourceDir, outputs, outputDir, log)).failed;
  return failed;
}

/**
 * Keep one Secret volume's outputs fresh. fs.watch reports kubelet's `..data` swap at once; the poll
 * of `readlink(..data)` is the fallback where inotify is unavailable or events are lost. Either only
 * schedules a check, and a check re-renders only when the `..data` target changed, so the two never
 * render twice. Checks run one at a time; an event during a render triggers one more check.
 */
function watchSource(sourceDir: string, outputs: readonly AgentOutput[], initialTarget: string | undefined, log: AgentLog, options: Required<WatchOptions>): RunningAgent {
  let lastTarget = initialTarget;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let debounce: NodeJS.Timeout | undefined;

  const check = async (): Promise<void> => {
    do {
      again = false;
      try {
        const target = await readDataTarget(sourceDir);
        if (target === undefined || target === lastTarget) continue;
        // Remember the attempted version even when it fails: retrying it every poll would only
        // repeat the same error; the next Secret change brings a new version.
        lastTarget = target;
        lastTarget = (await renderSource(sourceDir, outputs, options.outputDir, log)).target ?? target;
      } catch (err) {
        log.error({ sourceDir }, `cannot check the Secret volume: ${errorCode(err)}`);
      }
    } while (again && !stopped);
  };
  const schedule = (): void => {
    if (stopped) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = check().finally(() => (running = undefined));
    }, options.debounceMs);
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(sourceDir, schedule);
    watcher.on('error', (err) => {
      log.error({ sourceDir }, `fs.watch failed, polling only: ${errorCode(err)}`);
      watcher?.close();
    });
  } catch (err) {
    log.error({ sourceDir }, `fs.watch unavailable, polling only: ${errorCode(err)}`);
  }
  const poll = setInterval(schedule, options.pollMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(debounce);
      clearInterval(poll);
      watcher?.close();
      await running;
    },
  };
}

/**
 * Render every output, then keep them fresh until `stop()`. Renders that fail at start are retried
 * when their Secret changes; the startup probe keeps the pod waiting until every file exists.
 */
export async function startAgent(plan: AgentPlan, log: AgentLog, options: WatchOptions = {}): Promise<RunningAgent> {
  const resolved = { pollMs: options.pollMs ?? 500, debounceMs: options.debounceMs ?? 25, outputDir: options.outputDir ?? agentPaths.renderedRoot };
  const watchers: RunningAgent[] = [];
  await Promise.all(plan.outputs.map((output) => removeStaleTemps(output.path)));
  for (const [sourceDir, outputs] of bySource(plan)) {
    const { target } = await renderSource(sourceDir, outputs, resolved.outputDir, log);
    // After a failed read, start from the current link so an unreadable version is not retried every poll.
    const known = target ?? (await readDataTarget(sourceDir).catch(() => undefined));
    watchers.push(watchSource(sourceDir, outputs, known, log, resolved));
  }
  return {
    async stop() {
      await Promise.all(watchers.map((watcher) => watcher.stop()));
    },
  };
}
