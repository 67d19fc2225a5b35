import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import type { AgentPlan } from '../contract/agentPlan.js';
import { agentPaths, isPlainAbsolutePath } from '../contract/agentPlanNames.js';
import { type AgentLog, loadPlan, renderPlan, startAgent } from '../agent/runAgent.js';
import { program } from './programName.js';

const usage = `usage: ${program} agent [--once] [--plan-file FILE] [--output-dir DIR]
       ${program} agent probe [--plan-file FILE] [--output-dir DIR]

Renders credential files from Secret volumes as the plan in $CREDINJECT_AGENT_PLAN (or FILE) says,
then re-renders them whenever kubelet updates a Secret volume, until SIGTERM.
  --once       render every file once and exit (1 if any failed): the legacy init container
  probe        exit 0 iff every file of the plan exists and is non-empty: the startup probe
  --output-dir every output must be below DIR (default ${agentPaths.renderedRoot})

examples:
  # the webhook writes these into the pod; run them by hand only to debug a plan
  ${program} agent --once --plan-file plan.json --output-dir /tmp/rendered
  ${program} agent probe --plan-file plan.json --output-dir /tmp/rendered
`;

/** JSON lines on stdout. Loaded lazily: `probe` runs every second during startup and needs no logger. */
async function logger(): Promise<AgentLog> {
  const { pino } = await import('pino');
  const log: AgentLog = pino({ name: 'credinject-agent' });
  return log;
}

/**
 * The sidecar idles in every pod and renders a few files a day: V8's baseline and optimising compilers
 * buy it nothing, yet tiering up module-loading code maps ~4 MB more of the node binary into memory
 * (measured: idle RSS 52 → 47.5 MB). These flags only gate tier-up decisions, which V8 reads each
 * time, so setting them at run time is safe; `--jitless` would do it too but must be set at start.
 */
function keepToInterpreter(): void {
  // Maglev is off by default on Node 20 (V8 11.3) and on from Node 22 (V8 12.4).
  for (const flag of ['--no-sparkplug', '--no-maglev', '--no-turbofan']) setFlagsFromString(flag);
}

/** Exit 0 iff every output exists and is non-empty; names the missing ones for `kubectl describe`. */
async function probe(plan: AgentPlan): Promise<number> {
  const missing: string[] = [];
  for (const { path } of plan.outputs) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size === 0) missing.push(path);
  }
  if (missing.length > 0) process.stderr.write(`credinject agent probe: not rendered yet: ${missing.join(', ')}\n`);
  return missing.length === 0 ? 0 : 1;
}

/** Render, then watch until SIGTERM/SIGINT; exits 0 on either signal. */
async function watchUntilSignal(plan: AgentPlan, outputDir: string): Promise<number> {
  let signalled!: () => void;
  const signal = new Promise<void>((resolve) => (signalled = resolve));
  // Listen before loading anything, so a SIGTERM during start-up still ends cleanly.
  process.once('SIGTERM', signalled).once('SIGINT', signalled);
  keepToInterpreter();
  const log = await logger();
  const agent = await startAgent(plan, log, { outputDir });
  await signal;
  process.removeListener('SIGTERM', signalled).removeListener('SIGINT', signalled);
  await agent.stop();
  log.info({}, 'stopped');
  return 0;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      once: { type: 'boolean' },
      'plan-file': { type: 'string' },
      'output-dir': { type: 'string', default: agentPaths.renderedRoot },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** `credinject agent [--once] [--plan-file F]` and `credinject agent probe [--plan-file F]`. */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    process.stderr.write(`credinject agent: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const isProbe = positionals[0] === 'probe';
  if (positionals.length > (isProbe ? 1 : 0) || (isProbe && values.once)) {
    process.stderr.write(`credinject agent: unexpected arguments: ${argv.join(' ')}\n\n${usage}`);
    return 2;
  }
  const outputDir = values['output-dir'];
  if (!isPlainAbsolutePath(outputDir)) {
    process.stderr.write(`credinject agent: --output-dir must be an absolute path without ".." or "."\n`);
    return 2;
  }
  const loaded = await loadPlan(values['plan-file'], process.env, outputDir);
  if (!loaded.ok) {
    process.stderr.write(`credinject agent: ${loaded.message}\n`);
    return 2;
  }
  if (isProbe) return probe(loaded.plan);
  if (values.once) return (await renderPlan(loaded.plan, await logger(), outputDir)) === 0 ? 0 : 1;
  return watchUntilSignal(loaded.plan, outputDir);
}
