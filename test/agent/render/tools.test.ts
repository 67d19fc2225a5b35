/**
 * The rendered files read by the real tools, with the env the engine sets in the app container:
 * Python's netrc module, `git credential fill` through the helper the engine configures,
 * huggingface_hub's `get_token`, libpq (psql against a fake server that asks for a cleartext
 * password, so the password libpq took from the pgpass file is seen), and three .env readers.
 * Each reader skips with one line when it is not at hand; under CI=true hack/render-tools.sh
 * provides them all.
 */
import type { V1EnvVar } from '@kubernetes/client-node';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderFormat } from '../../../src/contract/agentPlan.js';
import { loadRenderer, type SecretFiles } from '../../../src/agent/render/index.js';
import { announceMissing, hasCommand, renderToolsPython } from '../../fixtures/tools.js';
import { plannedOutputs, secretFiles, withKeys } from './fixtures.js';

const python = renderToolsPython();
const needs = (tool: string, present: boolean): boolean => {
  if (!present) announceMissing(`the ${tool} reader test`, tool, 'bash hack/render-tools.sh');
  return !present;
};

const scratch = mkdtempSync(join(tmpdir(), 'credinject-render-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;

/**
 * Render a fixture as the agent would into a fresh directory that stands for the credential's
 * mount path (the engine is told so through the mount-path annotation): the files with their
 * planned modes, and the env the app container gets, pointing into that directory.
 */
async function renderInto(fixture: string, format: RenderFormat, files: SecretFiles = secretFiles(fixture)): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = join(scratch, `${fixture}-${format}-${dirs++}`);
  execFileSync('mkdir', ['-p', dir]);
  const { outputs, env } = plannedOutputs(fixture, format, dir);
  for (const output of outputs) {
    const result = (await loadRenderer(output.format))(files, output.credential, output);
    if (!result.ok) throw new Error(result.message);
    const path = join(dir, output.path.split('/').pop()!);
    writeFileSync(path, result.content);
    chmodSync(path, output.mode);
  }
  return { dir, env: Object.fromEntries(env.filter((variable): variable is V1EnvVar & { value: string } => variable.value !== undefined).map((variable) => [variable.name, variable.value])) };
}

/** A clean environment for a tool: PATH, a scratch HOME, and what the engine set. */
function toolEnv(dir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, ...env };
}

describe.skipIf(needs('python3', hasCommand('python3')))("Python's netrc module", () => {
  it.each(['netrc-wandb', 'login-token'])('reads the login of %s from the file NETRC names', async (fixture) => {
    const { dir, env } = await renderInto(fixture, 'netrc');
    expect(env['NETRC']).toBe(join(dir, 'netrc'));
    const script = 'import json, netrc, os, sys; print(json.dumps(netrc.netrc(os.environ["NETRC"]).authenticators(sys.argv[1])))';
    const host = fixture === 'netrc-wandb' ? 'api.wandb.ai' : 'huggingface.co';
    const read = JSON.parse(execFileSync('python3', ['-c', script, host], { env: toolEnv(dir, env), encoding: 'utf8' })) as string[];
    const password = fixture === 'netrc-wandb' ? 'fakewandbapikey0000000000000000000000000000' : 'hf_faketoken000000000000000000000000';
    expect(read).toEqual(['user', '', password]);
  });
});

describe.skipIf(needs('git', hasCommand('git')))('git credential fill', () => {
  /** What git's credential helpers answer for an HTTPS URL, with only the engine's config. */
  function fill(dir: string, env: Record<string, string>, host: string): Record<string, string> {
    const answer = execFileSync('git', ['credential', 'fill'], {
      env: { ...toolEnv(dir, env), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false' },
      input: `protocol=https\nhost=${host}\n\n`,
      encoding: 'utf8',
    });
    return Object.fromEntries(answer.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  }

  it('answers with the user and the password, percent-decoded, for the host and port', async () => {
    const { dir, env } = await renderInto('login-password', 'git-credentials');
    expect(fill(dir, env, 'git.example.test:8443')).toMatchObject({ username: 'ml-bot@example.test', password: 'fake:p@ss/word%20+?#' });
  });

  it('answers a token login with the user "user"', async () => {
    const { dir, env } = await renderInto('login-token', 'git-credentials');
    expect(fill(dir, env, 'huggingface.co')).toMatchObject({ username: 'user', password: 'hf_faketoken000000000000000000000000' });
  });

  it('never writes the file back: after a successful clone git approves, and the helper only answers get', async () => {
    const { dir, env } = await renderInto('login-token', 'git-credentials');
    const path = join(dir, 'git-credentials');
    const before = readFileSync(path, 'utf8');
    const approve = spawnSync('git', ['credential', 'approve'], {
      env: { ...toolEnv(dir, env), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      input: 'protocol=https\nhost=other.example.test\nusername=u\npassword=p\n\n',
      encoding: 'utf8',
    });
    expect(approve.status).toBe(0);
    expect(approve.stderr).toBe('');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe.skipIf(needs('huggingface_hub', python !== undefined))('huggingface_hub', () => {
  it('reads the token from the file HF_TOKEN_PATH names, as written by huggingface-cli login', async () => {
    const { dir, env } = await renderInto('huggingface-token', 'huggingface-token');
    expect(env).toEqual({ HF_TOKEN_PATH: join(dir, 'token') });
    const token = execFileSync(python!, ['-c', 'from huggingface_hub import get_token; print(get_token())'], {
      env: { ...toolEnv(dir, env), HF_HOME: join(dir, 'hf-home'), HF_HUB_OFFLINE: '1' },
      encoding: 'utf8',
    });
    expect(token).toBe('hf_faketoken111111111111111111111111\n');
  });
});

/**
 * Just enough of a PostgreSQL server to learn what libpq would send: refuses SSL and GSS
 * encryption, asks for a cleartext password, records it and ends the session with an error.
 */
function fakePostgres(): Promise<{ port: number; passwords: string[]; server: Server }> {
  const passwords: string[] = [];
  const error = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mfake server\0\0', 'latin1');
  const errorResponse = Buffer.concat([Buffer.from('E'), Buffer.from([0, 0, 0, 0]), error]);
  errorResponse.writeInt32BE(4 + error.length, 1);
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8 || buffer.length < buffer.readInt32BE(0)) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(buffer.readInt32BE(0));
          // 80877103: SSLRequest, 80877104: GSSENCRequest; 'N' means "not here, go on in the clear".
          if (code === 80877103 || code === 80877104) {
            socket.write('N');
            continue;
          }
          started = true;
          socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
          continue;
        }
        if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
        const length = buffer.readInt32BE(1);
        if (buffer[0] === 0x70) passwords.push(buffer.subarray(5, length).toString('utf8')); // 'p' PasswordMessage, NUL-terminated
        buffer = buffer.subarray(1 + length);
        socket.end(errorResponse);
        return;
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, passwords, server })));
}

describe.skipIf(needs('psql', hasCommand('psql')))('libpq (psql) reading the pgpass file', () => {
  it('takes the password of the matching line, unescaping ":" and "\\"', async () => {
    const { port, passwords, server } = await fakePostgres();
    try {
      // The port in the file must be the one psql connects to: the Secret's port key is the fake server's.
      const { dir, env } = await renderInto('pgpass-generic', 'pgpass', withKeys(secretFiles('pgpass-generic'), { port: String(port) }));
      expect(env).toEqual({ PGPASSFILE: join(dir, 'pgpass') });
      expect(statSync(join(dir, 'pgpass')).mode & 0o777).toBe(0o400);
      await psql(env, dir, `host=db.example.test port=${port} user=trainer dbname=features`);
      expect(passwords).toEqual(['fa:ke\\pass:word']);
    } finally {
      server.close();
    }
  });

  it('matches any port and database with "*", for a password credential with a host annotation', async () => {
    const { dir, env } = await renderInto('pgpass-password', 'pgpass');
    const { port, passwords, server } = await fakePostgres();
    try {
      await psql(env, dir, `host=postgres.example.test port=${port} user=mlflow dbname=anything`);
      expect(passwords).toEqual(['fake-postgres-password']);
    } finally {
      server.close();
    }
  });

  it('ignores the file when group or others can read it, which is why it is written 0400', async () => {
    const { dir, env } = await renderInto('pgpass-password', 'pgpass');
    chmodSync(join(dir, 'pgpass'), 0o440);
    const { port, passwords, server } = await fakePostgres();
    try {
      const stderr = await psql(env, dir, `host=postgres.example.test port=${port} user=mlflow dbname=anything`);
      expect(stderr).toContain('has group or world access');
      expect(passwords).toEqual([]);
    } finally {
      server.close();
    }
  });
});

/** psql against `conninfo` (socket to 127.0.0.1, no TLS): its stderr; it always fails, the server refuses everyone. */
function psql(env: Record<string, string>, dir: string, conninfo: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', ['-X', '-w', '-d', `${conninfo} hostaddr=127.0.0.1 sslmode=disable gssencmode=disable connect_timeout=10`, '-c', 'select 1'], { env: toolEnv(dir, env) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(stderr));
  });
}

describe('.env readers', () => {
  const expected = {
    BACKSLASH: 'C:\\fake\\path',
    HASH: '#fake # not a comment',
    MULTI_LINE: 'line one\nline two\n',
    PLAIN: 'fake-plain-value',
    WITH_DOLLAR: 'fake $HOME and $(id) and `id`',
    WITH_DOUBLE_QUOTE: 'say "fake"',
    WITH_QUOTE: "it's fake",
  };

  it("Node's util.parseEnv (node --env-file) reads every value back unchanged", async () => {
    const { dir } = await renderInto('env-file-generic', 'env-file');
    expect(parseEnv(readFileSync(join(dir, '.env'), 'utf8'))).toEqual(expected);
  });

  it.skipIf(needs('sh', hasCommand('sh')))('a POSIX shell (set -a; . ./.env) reads every value back unchanged', async () => {
    const { dir } = await renderInto('env-file-generic', 'env-file');
    const out = execFileSync('sh', ['-c', 'set -a; . "$1"; set +a; for name in $2; do eval "printf \'%s\\0\' \\"\\$$name\\""; done', 'sh', join(dir, '.env'), Object.keys(expected).join(' ')], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(Object.fromEntries(Object.keys(expected).map((name, index) => [name, out.split('\0')[index]]))).toEqual(expected);
  });

  it.skipIf(needs('python-dotenv', python !== undefined))('python-dotenv reads every value back unchanged', async () => {
    const { dir } = await renderInto('env-file-generic', 'env-file');
    const read = execFileSync(python!, ['-c', 'import json, sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])))', join(dir, '.env')], { encoding: 'utf8' });
    expect(JSON.parse(read)).toEqual(expected);
  });
});
