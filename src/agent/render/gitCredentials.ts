import { readLogin } from './login.js';
import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/**
 * Render a login as a git credential-store file: one `https://user:password@host[:port]` line, with
 * user and password percent-encoded (git's store helper decodes them), so `@`, `:` and `/` in a
 * token are safe. Without a user name key the user is `user`: GitHub, GitLab and Hugging Face take
 * any name with a token.
 */
export function renderGitCredentials(files: SecretFiles, _credential: string, { login }: RenderSettings): RenderResult {
  const read = readLogin(files, login);
  if ('error' in read) return renderFailed(read.error);
  const host = read.port === undefined ? read.host : `${read.host}:${read.port}`;
  const user = encodeURIComponent(read.username ?? 'user');
  return rendered(`https://${user}:${encodeURIComponent(read.password)}@${host}\n`);
}
