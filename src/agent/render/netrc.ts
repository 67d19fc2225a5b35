import { readLogin } from './login.js';
import { type RenderResult, type RenderSettings, type SecretFiles, renderFailed, rendered } from './renderer.js';

/**
 * Readers disagree on anything but plain tokens: curl before 7.84 and Python before 3.11 split on
 * whitespace and take quotes literally, newer ones unquote; curl treats a token starting with `#`
 * as a comment. A token free of all of these reads the same everywhere.
 */
const plainToken = /^[^\s"\\#][^\s"\\]*$/;

/**
 * Render a login as a `.netrc` entry (`machine`, `login`, `password`), read by curl, Python's
 * netrc and requests, wandb and the go command. Without a user name key the login is `user`, what
 * `wandb login` writes: token hosts ignore it. A port cannot be written: netrc matches host names.
 */
export function renderNetrc(files: SecretFiles, _credential: string, { login }: RenderSettings): RenderResult {
  const read = readLogin(files, login);
  if ('error' in read) return renderFailed(read.error);
  if (read.port !== undefined) return renderFailed('netrc matches host names only: give the host without ":port"');
  const tokens: Array<[string, string, string | undefined]> = [
    ['login', read.username ?? 'user', login?.usernameKey],
    ['password', read.password, login?.passwordKey],
  ];
  for (const [field, value, key] of tokens) {
    if (!plainToken.test(value)) {
      return renderFailed(`key "${key ?? field}" holds whitespace, a quote, a backslash or a leading "#", which netrc readers split or unescape differently; use env injection or a template`);
    }
  }
  const lines = [`machine ${read.host}`, ...tokens.map(([field, value]) => `${field} ${value}`)];
  return rendered(`${lines.join('\n')}\n`);
}
