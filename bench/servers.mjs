// Starting the servers the admission benchmarks drive: the built `credinject serve` in static mode
// and the floor, both as child processes on 127.0.0.1 with a throwaway certificate.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jsonPatch from 'fast-json-patch'; // CommonJS: named imports fail under Node ESM
import { generate } from 'selfsigned';
import { credentialNames, credentialsYaml, pod, reviewUid } from './admissionReview.mjs';
import { until } from './benchUtil.mjs';

export const mainJs = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const floorJs = fileURLToPath(new URL('./floorServer.mjs', import.meta.url));

/**
 * The node flags the image runs credinject with: those between `node` and the script in the
 * Dockerfile's ENTRYPOINT of the build `main` belongs to (<build>/Dockerfile beside its dist/), so a
 * benchmark measures serve as it runs in a pod, and a baseline build with its own Dockerfile.
 * None when that build has no Dockerfile.
 */
export function imageNodeFlags(main = mainJs) {
  const dockerfile = fileURLToPath(new URL('../../Dockerfile', pathToFileURL(main)));
  if (!existsSync(dockerfile)) return [];
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(dockerfile, 'utf8'));
  if (!entrypoint) throw new Error(`${dockerfile}: no ENTRYPOINT in exec form`);
  const [node, ...rest] = JSON.parse(entrypoint[1]);
  if (node !== 'node') throw new Error(`${dockerfile}: ENTRYPOINT does not start with node`);
  return rest.slice(0, rest.findIndex((arg) => !arg.startsWith('--')));
}

export function requireBuild() {
  if (!existsSync(mainJs)) throw new Error('dist/ is missing: run `npm run build` first');
}

/** Certificate for 127.0.0.1 (EC P-256, SHA-256: selfsigned defaults to SHA-1) and the credentials file. */
export async function prepareFiles(dir) {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 5 * 60_000),
    notAfterDate: new Date(now.getTime() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const files = {
    cert: join(dir, 'tls.crt'),
    key: join(dir, 'tls.key'),
    credentials: join(dir, 'credentials.yaml'),
    floorResponse: join(dir, 'floor-response.json'),
  };
  writeFileSync(files.cert, pems.cert);
  writeFileSync(files.key, pems.private, { mode: 0o600 });
  writeFileSync(files.credentials, credentialsYaml());
  return { ...files, ca: pems.cert };
}

/** Ports free right now on 127.0.0.1 (the kernel's choice, released at once). */
export async function freePorts(count) {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function exitOf(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
    else child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

async function stopChild(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exitOf(child);
  clearTimeout(timer);
}

/**
 * `credinject serve --credentials-file` on random ports, logging (JSON lines, as in a pod) to a file
 * so the log pipe costs the server what it costs in production and costs the load generator nothing.
 * `main` may name another build's dist/cli/main.js (to compare a change made in a scratch copy);
 * `cluster: { kubeconfig }` serves a cluster's credentials instead of `files.credentials`;
 * `wrap` is a command prefix that execs node (e.g. `taskset -c 1` to pin it to a core).
 */
export async function startCredinject(files, dir, options = {}) {
  const { nodeArgs = [], logLevel = 'info', name = 'credinject', main = mainJs, cluster, readyTimeoutMs = 15_000, wrap = [] } = options;
  if (main === mainJs) requireBuild();
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const [port, metricsPort] = await freePorts(2);
  const args = [
    ...imageNodeFlags(main), ...nodeArgs, main, 'serve',
    '--address', '127.0.0.1', '--port', String(port),
    '--metrics-address', '127.0.0.1', '--metrics-port', String(metricsPort),
    '--tls-cert', files.cert, '--tls-key', files.key,
    ...(cluster ? ['--kubeconfig', cluster.kubeconfig] : ['--credentials-file', files.credentials]),
    '--log-level', logLevel,
  ];
  const command = [...wrap, process.execPath, ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = exitOf(child);
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n');
  // Ready means both ports listen (readiness is served once the webhook port is up).
  await until('credinject serve to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`credinject serve exited with ${child.exitCode}:\n${tail()}`);
    const res = await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => undefined);
    return res?.ok ? true : undefined;
  }, readyTimeoutMs);
  return {
    name,
    pid: child.pid,
    port,
    metricsPort,
    logFile,
    exited,
    /** Admission requests it counted as patched so far (its /metrics). */
    injected: () => patchedCount(metricsPort),
    // Graceful stop: readiness false, a 5 s drain delay (not configurable from flags), then exit.
    stop: () => stopChild(child, 15_000),
    /** Immediate stop, when the shutdown is not what is measured. */
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

async function patchedCount(metricsPort) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('credinject_admission_requests_total{') && l.includes('result="patched"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * The floor server answering `answer` (a Buffer or string) to every request; `parse` makes it the
 * parse floor; `executable` runs another floor with the same arguments (the Go floor, named `name`);
 * `wrap` is a command prefix (pinning).
 */
export async function startFloor(files, answer, { parse = false, executable, name, wrap = [] } = {}) {
  writeFileSync(files.floorResponse, answer);
  const command = [...wrap, ...(executable ? [executable] : [process.execPath, floorJs]), files.cert, files.key, files.floorResponse, ...(parse ? ['--parse'] : [])];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const { port } = await until('the floor server to listen', () => {
    if (child.exitCode !== null) throw new Error(`floor server exited with ${child.exitCode}`);
    return out.includes('\n') ? JSON.parse(out.split('\n')[0]) : undefined;
  });
  return { name: name ?? (parse ? 'parse-floor' : 'floor'), pid: child.pid, port, stop: () => stopChild(child, 5_000) };
}

/** One POST over HTTPS, verifying the certificate against `ca`. */
export function post(port, path, body, ca) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', ca, headers: { 'Content-Type': 'application/json' }, timeout: 5000 },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Checks that credinject's answer to the benchmark review is a real injection, so the benchmark
 * never measures a denial: allowed, a JSONPatch that applies to the Pod and adds what each of the
 * four credentials asks for. Returns the raw answer and a short description.
 */
export async function verifyMutate(port, body, ca) {
  const res = await post(port, '/mutate', body, ca);
  if (res.status !== 200) throw new Error(`POST /mutate answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
  const { response } = JSON.parse(res.body.toString());
  if (response?.uid !== reviewUid) throw new Error('POST /mutate answered another uid');
  if (response.allowed !== true) throw new Error(`POST /mutate denied the bench pod: ${response.status?.message}`);
  if (response.patchType !== 'JSONPatch' || typeof response.patch !== 'string') throw new Error('POST /mutate answered without a patch');
  const operations = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8'));
  const patched = jsonPatch.applyPatch(pod(), operations, true, false).newDocument;
  const secretsUsed = new Set(JSON.stringify(patched.spec).match(/"(?:secretName|name)":"(aws-s3|gcp-sa|git-ssh|wandb)"/g) ?? []);
  const missing = credentialNames.filter((name) => ![...secretsUsed].some((s) => s.includes(`"${name}"`)));
  if (missing.length > 0) throw new Error(`the patch does not inject ${missing.join(', ')}`);
  const added = patched.spec.volumes.length - pod().spec.volumes.length;
  return {
    answer: res.body,
    description: `${operations.length} patch operations (${added} volumes added, all 4 credentials referenced), answer ${res.body.length} bytes`,
  };
}
