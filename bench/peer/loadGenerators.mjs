// The peer benchmark's load generators, each in a process of its own (pinned to the client core
// when pinning works): wrk for saturation, bench/peer/go/pace for an even rate. Both speak
// HTTPS/1.1 over 10 keep-alive connections opened before the measured window.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWrkOutput } from './wrkOutput.mjs';

export const connections = 10;

function run(command, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${what} exited with ${code}: ${err.slice(-500)}`))));
  });
}

/** wrk on PATH, installing Debian's package when it is missing (as root); a reason string when it cannot. */
export function ensureWrk() {
  const has = () => spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (has()) return undefined;
  process.stderr.write('bench peer: wrk is missing, installing Debian\'s wrk\n');
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    install();
  }
  return has() ? undefined : 'wrk is not installed and `apt-get install wrk` failed';
}

/** The wrk script POSTing the review (body from a file: wrk's Lua has io). */
export function writeWrkScript(dir, bodyFile) {
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = assert(io.open(${JSON.stringify(bodyFile)}, "rb")):read("*a")\n`,
  );
  return script;
}

/** Saturation: as many requests as the server answers in `seconds`, 10 connections, one wrk thread. */
export async function saturate({ port, script, seconds, wrap }) {
  const command = [...wrap, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, `https://127.0.0.1:${port}/mutate`];
  return parseWrkOutput(await run(command, 'wrk'));
}

/** An even `rate` for `seconds`: { requests, errors, non2xx, latencies (ms, sorted), sendLagP99Ms }. */
export async function pace({ pacer, port, bodyFile, ca, rate, seconds, wrap }) {
  const command = [...wrap, pacer, '-url', `https://127.0.0.1:${port}/mutate`, '-body', bodyFile, '-ca', ca, '-rate', String(rate), '-seconds', String(seconds), '-connections', String(connections)];
  const result = JSON.parse(await run(command, 'pace'));
  const latencies = Float64Array.from(result.latenciesUs, (us) => us / 1000).sort();
  return { requests: result.requests, errors: result.errors, non2xx: result.non2xx, latencies, sendLagP99Ms: result.sendLagP99Us / 1000, firstError: result.firstError };
}
