import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishVolume, waitFor } from './kubeletVolume.js';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const aws = (id: string, secret: string): Record<string, string> => ({ access_key_id: id, secret_access_key: `${secret}\n` });
const expected = (id: string, secret: string): string =>
  `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`;

let root: string;
let source: string;
let output: string;
let children: ChildProcess[] = [];

interface Agent {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startAgent(args: string[], plan: unknown = defaultPlan()): Agent {
  // Outputs go below the test's own directory; a real pod's default is /var/run/credinject/rendered.
  const child = spawn(process.execPath, [main, 'agent', ...args, ...(args.includes('--watch-harder') ? [] : ['--output-dir', join(root, 'rendered')])], {
    env: { ...process.env, CREDINJECT_AGENT_PLAN: typeof plan === 'string' ? plan : JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function defaultPlan(): unknown {
  return { version: 1, outputs: [{ credential: 'aws-s3', format: 'aws-credentials', sourceDir: source, path: output, mode: 0o400 }] };
}

const contentOf = async (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);
const logLines = (text: string): Array<Record<string, unknown>> =>
  text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'credinject-agent-'));
  source = join(root, 'secrets', 'aws-s3');
  output = join(root, 'rendered', 'aws-s3', 'credentials');
  await mkdir(join(root, 'rendered', 'aws-s3'), { recursive: true });
  await publishVolume(source, aws('AKIAFAKE1', 'fake-secret-1'));
});
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children = [];
  await rm(root, { recursive: true, force: true });
});

describe('credinject agent (the built sidecar process)', () => {
  it('renders at start, re-renders within 2 s of a ..data swap without a partial read, and exits 0 on SIGTERM', async () => {
    const agent = startAgent([]);
    await waitFor('the first render', async () => ((await contentOf(output)) === expected('AKIAFAKE1', 'fake-secret-1') ? true : undefined));
    expect((await stat(output)).mode & 0o777).toBe(0o400);

    let reading = true;
    const bad: string[] = [];
    const reader = (async () => {
      while (reading) {
        const text = await contentOf(output);
        if (text !== expected('AKIAFAKE1', 'fake-secret-1') && text !== expected('AKIAFAKE2', 'fake-secret-2')) bad.push(String(text));
      }
    })();
    await publishVolume(source, aws('AKIAFAKE2', 'fake-secret-2'));
    await waitFor('the re-render', async () => ((await contentOf(output)) === expected('AKIAFAKE2', 'fake-secret-2') ? true : undefined), 2000);
    reading = false;
    await reader;
    expect(bad).toEqual([]);
    expect((await stat(output)).mode & 0o777).toBe(0o400);

    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const lines = logLines(agent.stdout());
    const renders = lines.filter((line) => line['msg'] === 'rendered');
    expect(renders).toHaveLength(2);
    expect(renders[0]).toMatchObject({ credential: 'aws-s3', format: 'aws-credentials', path: output });
    expect(agent.stdout()).not.toMatch(/fake-secret|AKIAFAKE/);
  });

  it('keeps the previous file and logs the problem when a new version does not render, then recovers', async () => {
    const agent = startAgent([]);
    await waitFor('the first render', async () => ((await contentOf(output)) !== undefined ? true : undefined));
    await publishVolume(source, { access_key_id: 'AKIAFAKE3' });
    const failure = await waitFor('the render error', async () =>
      logLines(agent.stdout()).find((line) => String(line['msg']).includes('render failed')),
    );
    expect(failure).toMatchObject({ credential: 'aws-s3', format: 'aws-credentials', path: output });
    expect(String(failure['msg'])).toContain('missing key "secret_access_key"');
    expect(await contentOf(output)).toBe(expected('AKIAFAKE1', 'fake-secret-1'));

    await publishVolume(source, aws('AKIAFAKE4', 'fake-secret-4'));
    await waitFor('the recovery', async () => ((await contentOf(output)) === expected('AKIAFAKE4', 'fake-secret-4') ? true : undefined));
    agent.child.kill('SIGINT');
    expect(await agent.exited).toBe(0);
  });

  it.each([
    ['renders every file and exits 0', () => aws('AKIAFAKE1', 'fake-secret-1'), 0],
    ['exits 1 when a file does not render', () => ({ access_key_id: 'AKIAFAKE1' }), 1],
  ])('with --once %s', async (_case, files, code) => {
    await publishVolume(source, files());
    const agent = startAgent(['--once']);
    expect(await agent.exited).toBe(code);
    expect(await contentOf(output)).toBe(code === 0 ? expected('AKIAFAKE1', 'fake-secret-1') : undefined);
  });

  it('probe fails until every file exists and is non-empty, then passes', async () => {
    const before = startAgent(['probe']);
    expect(await before.exited).toBe(1);
    expect(before.stderr()).toContain(output);
    expect(await startAgent(['--once']).exited).toBe(0);
    expect(await startAgent(['probe']).exited).toBe(0);
  });

  it.each([
    ['JSON that does not parse', '{"version":1', 'invalid plan in $CREDINJECT_AGENT_PLAN: not valid JSON'],
    ['an unknown format', { version: 1, outputs: [{ credential: 'c', format: 'pdf', sourceDir: '/s', path: '/p', mode: 256 }] }, 'outputs.0.format'],
    ['no plan at all', '', 'no plan: set $CREDINJECT_AGENT_PLAN or pass --plan-file'],
  ])('exits 2 with a clear error given %s', async (_case, plan, message) => {
    const agent = startAgent([], plan);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toContain(message);
  });

  it.each([
    ['climbs out with ../', () => `${root}/rendered/aws-s3/../../escaped`, 'outputs.0.path: expected an absolute path without empty, "." or ".." segments'],
    ['lies outside --output-dir', () => join(tmpdir(), 'credinject-escaped'), 'outputs.0.path: must be inside the output directory'],
  ])('refuses a plan whose path %s, and writes nothing', async (_case, path, message) => {
    const plan = { version: 1, outputs: [{ credential: 'aws-s3', format: 'aws-credentials', sourceDir: source, path: path(), mode: 0o400 }] };
    const agent = startAgent(['--once'], plan);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toContain(message);
    expect(existsSync(join(root, 'escaped'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'credinject-escaped'))).toBe(false);
  });

  it('logs each new format failing on marked values by credential, format and key, and never a value; the file that renders holds it', async () => {
    const marker = 'LEAKMARKER7f3a';
    const leakySource = join(root, 'secrets', 'leaky');
    await publishVolume(leakySource, { TOKEN: `${marker}\nmachine evil`, QUOTED: `it's ${marker} $HOME`, USER: `u-${marker}` });
    const dir = join(root, 'rendered', 'leaky');
    await mkdir(dir, { recursive: true });
    const base = { credential: 'leaky', sourceDir: leakySource, mode: 0o400 };
    const login = { host: 'db.example.test', passwordKey: 'TOKEN', usernameKey: 'USER' };
    const failing = [
      { ...base, format: 'netrc', path: join(dir, 'netrc'), login },
      { ...base, format: 'git-credentials', path: join(dir, 'git-credentials'), login },
      { ...base, format: 'pgpass', path: join(dir, 'pgpass'), login },
      { ...base, format: 'huggingface-token', path: join(dir, 'token'), login: { passwordKey: 'TOKEN' } },
      { ...base, format: 'env-file', path: join(dir, '.env'), env: [{ name: 'QUOTED', key: 'QUOTED' }] },
      { ...base, format: 'template', path: join(dir, 'gone.ini'), template: 'user = {{USER}} {{MISSING}}' },
    ];
    const ok = { ...base, format: 'template', path: join(dir, 'app.ini'), template: 'user = {{USER}}' };
    const agent = startAgent(['--once'], { version: 1, outputs: [...failing, ok] });
    expect(await agent.exited).toBe(1);
    const logs = agent.stdout() + agent.stderr();
    const failures = logLines(agent.stdout()).filter((line) => String(line['msg']).includes('render failed'));
    expect(failures).toHaveLength(failing.length);
    const messages = failures.map((line) => `${String(line['format'])}: ${String(line['msg'])}`).join('\n');
    for (const format of ['netrc', 'git-credentials', 'pgpass', 'huggingface-token']) expect(messages).toContain(`${format}: render failed, kept the previous file: key "TOKEN" must be a single line`);
    expect(messages).toContain('env-file: render failed, kept the previous file: key "QUOTED" holds');
    expect(messages).toContain('template: render failed, kept the previous file: the template uses key "MISSING"');
    expect(logs).not.toContain(marker);
    for (const output of failing) expect(existsSync(output.path)).toBe(false);
    expect(await contentOf(ok.path)).toBe(`user = u-${marker}`);
  });

  it('reads the plan from --plan-file instead of the env', async () => {
    const planFile = join(root, 'plan.json');
    await writeFile(planFile, JSON.stringify(defaultPlan()));
    const agent = startAgent(['--once', '--plan-file', planFile], '');
    expect(await agent.exited).toBe(0);
    expect(await contentOf(output)).toBe(expected('AKIAFAKE1', 'fake-secret-1'));
  });

  it('exits 2 on an unknown flag', async () => {
    const agent = startAgent(['--watch-harder']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toContain('usage: credinject agent');
  });
  it('renders a template and a netrc with the settings of the plan, re-rendering both on rotation, values never logged', async () => {
    const dir = join(root, 'rendered', 'app');
    await mkdir(dir, { recursive: true });
    const appSource = join(root, 'secrets', 'app');
    await publishVolume(appSource, { TOKEN: 'fake-token-1\n', USER: 'bot' });
    const sourceOf = { credential: 'app', sourceDir: appSource, mode: 0o400 };
    const agent = startAgent([], {
      version: 1,
      outputs: [
        { ...sourceOf, format: 'template', path: join(dir, 'app.ini'), template: 'user = {{USER}}\ntoken = {{TOKEN}}' },
        { ...sourceOf, format: 'netrc', path: join(dir, 'netrc'), login: { host: 'api.example.test', passwordKey: 'TOKEN', usernameKey: 'USER' } },
      ],
    });
    const netrc = (token: string) => `machine api.example.test\nlogin bot\npassword ${token}\n`;
    await waitFor('the first render', async () => ((await contentOf(join(dir, 'netrc'))) === netrc('fake-token-1') ? true : undefined));
    expect(await contentOf(join(dir, 'app.ini'))).toBe('user = bot\ntoken = fake-token-1\n');

    await publishVolume(appSource, { TOKEN: 'fake-token-2', USER: 'bot' });
    await waitFor('the re-render', async () => ((await contentOf(join(dir, 'app.ini'))) === 'user = bot\ntoken = fake-token-2' ? true : undefined));
    await waitFor('the netrc re-render', async () => ((await contentOf(join(dir, 'netrc'))) === netrc('fake-token-2') ? true : undefined));

    await publishVolume(appSource, { TOKEN: 'fake-token-3' });
    const failure = await waitFor('the render error', async () => logLines(agent.stdout()).find((line) => String(line['msg']).includes('render failed')));
    expect(String(failure['msg'])).toMatch(/uses key "USER", which the Secret does not have|missing key "USER"/);
    expect(await contentOf(join(dir, 'app.ini'))).toBe('user = bot\ntoken = fake-token-2');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.stdout() + agent.stderr()).not.toContain('fake-token');
  });
});
