import { readLogin } from './login.js';
import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/** libpq's escaping: `\` and `:` are taken literally after a backslash. */
const escape = (field: string): string => field.replace(/[\\:]/g, (char) => `\\${char}`);

/**
 * Render a login as a PostgreSQL password file line, `host:port:database:user:password`, for
 * libpq (`PGPASSFILE`). Port, database and user are `*` (any) unless the credential has them. libpq
 * ignores a file that group or others can read, so this one is written 0400. libpq compares an
 * IPv6 host without brackets.
 */
export function renderPgpass(files: SecretFiles, _credential: string, { login }: RenderSettings): RenderResult {
  const read = readLogin(files, login);
  if ('error' in read) return renderFailed(read.error);
  const field = (value: string | undefined): string => (value === undefined ? '*' : escape(value));
  return rendered(`${[field(read.host.replace(/^\[(.*)\]$/, '$1')), field(read.port), field(read.database), field(read.username), escape(read.password)].join(':')}\n`);
}
