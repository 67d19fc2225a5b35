// Benchmark of the built agent sidecar (run `npm run build` first): idle memory and how fast a Secret
// update reaches the rendered file, one agent process per format (each loads only its renderer).
// Usage: node bench/agentBench.mjs [format ...]   (default: every format)
// The last line is the summary, the worst format's figures:
//   agent: idle RSS <N> MB, re-render <X> ms (median of 10)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const rounds = 10;

const fixture = (name) =>
  parse(readFileSync(fileURLToPath(new URL(`../test/fixtures/agent/secrets/${name}.yaml`, import.meta.url)), 'utf8')).stringData;

/** Fake values per format, `n` making each version distinct. */
const secrets = {
  kubeconfig: (n) => ({ ...fixture('kubeconfig-token'), token: `fake-token-${n}` }),
  'aws-credentials': (n) => ({ access_key_id: `AKIAFAKE${n}`, secret_access_key: `fake-secret-${n}` }),
  'rclone-conf': (n) => ({ RCLONE_CONFIG_R_TYPE: 's3', RCLONE_CONFIG_R_ACCESS_KEY_ID: `fake-${n}` }),
  'docker-config': (n) => ({ '.dockerconfigjson': JSON.stringify({ auths: { 'r.test': { username: 'u', password: `fake-${n}` } } }) }),
};

let serial = 0;
/** Publish a version the way kubelet's atomic writer does; returns when `..data` was renamed. */
async function publish(dir, files) {
  await mkdir(dir, { recursive: true });
  const before = await readdir(dir);
  const version = `..bench_${process.pid}_${++serial}`;
  await mkdir(join(dir, version));
  for (const [key, value] of Object.entries(files)) await writeFile(join(dir, version, key), value);
  await symlink(version, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  const swappedAt = performance.now();
  for (const key of Object.keys(files)) if (!before.includes(key)) await symlink(join('..data', key), join(dir, key));
  for (const entry of before) if (entry.startsWith('..') && entry !== '..data') await rm(join(dir, entry), { recursive: true });
  return swappedAt;
}

async function until(what, probe, timeoutMs = 5000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const status = async (pid) => {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function bench(format) {
  const root = await mkdtemp(join(tmpdir(), 'credinject-bench-'));
  const source = join(root, 'secrets', 'c');
  const output = join(root, 'rendered', 'c', 'file');
  await mkdir(join(root, 'rendered', 'c'), { recursive: true });
  await publish(source, secrets[format](0));
  const plan = { version: 1, outputs: [{ credential: 'c', format, sourceDir: source, path: output, mode: 0o400 }] };
  // Every output must be below the agent's output directory (in a pod, /var/run/credinject/rendered).
  const child = spawn(process.execPath, [main, 'agent', '--output-dir', join(root, 'rendered')], {
    env: { ...process.env, CREDINJECT_AGENT_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await until('the first render', () => readFile(output, 'utf8').then(() => true, () => false));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = await status(child.pid);
    const times = [];
    for (let n = 1; n <= rounds; n++) {
      const before = await readFile(output, 'utf8');
      const swappedAt = await publish(source, secrets[format](n));
      await until(`re-render ${n}`, async () => (await readFile(output, 'utf8')) !== before);
      times.push(performance.now() - swappedAt);
    }
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`agent exited ${code} on SIGTERM`);
    return { idle, reRender: median(times) };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  }
}

if (!existsSync(main)) {
  console.error(`${main} is missing: run npm run build first`);
  process.exit(2);
}
const formats = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(secrets);
let worstRss = 0;
let worstReRender = 0;
for (const format of formats) {
  if (!secrets[format]) throw new Error(`unknown format ${format}; known: ${Object.keys(secrets).join(', ')}`);
  const { idle, reRender } = await bench(format);
  // file-backed is mostly the node binary's own pages, shared by every node process on the host.
  console.log(`${format}: idle VmRSS ${idle.rss.toFixed(1)} MB (anon ${idle.anon.toFixed(1)}, file-backed ${idle.file.toFixed(1)}), re-render ${reRender.toFixed(1)} ms (median of ${rounds})`);
  worstRss = Math.max(worstRss, idle.rss);
  worstReRender = Math.max(worstReRender, reRender);
}
console.log(`agent: idle RSS ${worstRss.toFixed(1)} MB, re-render ${worstReRender.toFixed(1)} ms (median of ${rounds})`);
