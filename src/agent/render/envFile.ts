import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/**
 * One value in the quoting that POSIX shells (`set -a; . ./.env`), python-dotenv and Node's
 * `--env-file`/`util.parseEnv` all read back unchanged (test/agent/render/envFile.tools.test.ts
 * holds them to it). Single quotes are literal everywhere except that python-dotenv unescapes `\\`
 * and expands `${…}`; double quotes serve a value with `'` as long as nothing in it is special to a
 * shell or an unescaper. No quoting carries a carriage return or NUL through all three.
 */
function quoted(value: string): string | undefined {
  if (/[\r\0]/.test(value)) return undefined;
  if (!value.includes("'") && !value.includes('\\\\') && !value.includes('${')) return `'${value}'`;
  if (!/["$`\\]/.test(value)) return `"${value}"`;
  return undefined;
}

/**
 * Render the credential's env as a `.env` file: the same names and values the containers get as
 * env vars (values as stored, not trimmed), one `NAME='value'` line each, in the plan's order.
 */
export function renderEnvFile(files: SecretFiles, _credential: string, { env }: RenderSettings): RenderResult {
  if (!env || env.length === 0) return renderFailed('the plan names no env vars for the env file');
  const lines: string[] = [];
  for (const { name, key } of env) {
    const bytes = files.get(key);
    if (bytes === undefined) return renderFailed(`missing key "${key}"`);
    const value = quoted(bytes.toString('utf8'));
    if (value === undefined) {
      return renderFailed(`key "${key}" holds a carriage return or NUL, or a single quote together with one of " $ \` \\, which no .env quoting reads back the same in shells and dotenv libraries; use env injection or a template`);
    }
    lines.push(`${name}=${value}`);
  }
  return rendered(`${lines.join('\n')}\n`);
}
