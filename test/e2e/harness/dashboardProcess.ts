/**
 * `credinject dashboard` as a child process: started with a kubeconfig file, its printed URL read
 * from stdout, killed on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pollUntil } from './controlPlane.js';
import { CLI_ENTRY } from './credinjectServer.js';

export interface DashboardProcess {
  /** `http://127.0.0.1:<port>/?token=…` as printed. */
  url: string;
  origin: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDashboard(args: string[]): Promise<DashboardProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI_ENTRY, 'dashboard', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await pollUntil(
      'the dashboard URL on stdout',
      async () => /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)?.[0],
      30_000,
      () => {
        if (child.exitCode !== null) throw new Error(`credinject dashboard exited ${child.exitCode}: ${out}`);
      },
    );
    return { url, origin: new URL(url).origin, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
