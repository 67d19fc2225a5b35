import { type RenderResult, type SecretFiles, renderFailed, rendered, singleLine, textOf } from './renderer.js';

const keyPattern = /^RCLONE_CONFIG_[A-Z0-9_]+$/;
// Lazy `+?`, as in the credential type: RCLONE_CONFIG_MY_S3_TYPE is remote MY_S3.
const typeKey = /^RCLONE_CONFIG_([A-Z0-9_]+?)_TYPE$/;

/**
 * Render an `rclone` credential (keys `RCLONE_CONFIG_<REMOTE>_<PARAM>`) as an `rclone.conf` with one
 * `[remote]` section. Remote names may contain `_`, so the remote comes from the `_TYPE` key and
 * every other key must share its prefix; names are lower-cased as rclone maps env to config.
 */
export function renderRcloneConf(files: SecretFiles, _credential: string): RenderResult {
  const keys = [...files.keys()].sort();
  const badKey = keys.find((key) => !keyPattern.test(key));
  if (badKey !== undefined) return renderFailed(`key "${badKey}" is not RCLONE_CONFIG_<REMOTE>_<PARAM> in upper case`);
  const remotes = [...new Set(keys.flatMap((key) => typeKey.exec(key)?.[1] ?? []))];
  if (remotes.length === 0) return renderFailed('missing key RCLONE_CONFIG_<REMOTE>_TYPE');
  if (remotes.length > 1) return renderFailed(`one remote per credential: found ${remotes.join(' and ')}`);
  const remote = remotes[0] as string;
  const prefix = `RCLONE_CONFIG_${remote}_`;

  const params: Array<[string, string]> = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) return renderFailed(`key "${key}" is not for remote ${remote}`);
    const text = textOf(files, key);
    if (text === undefined) return renderFailed(`key "${key}" is empty`);
    const line = singleLine(text);
    if (!line.ok) return renderFailed(`key "${key}" must be a single line`);
    params.push([key.slice(prefix.length).toLowerCase(), line.value]);
  }
  // `type` first, as rclone config writes it; the rest sorted so output is stable.
  params.sort(([a], [b]) => (a === 'type' ? -1 : b === 'type' ? 1 : a < b ? -1 : 1));
  const body = params.map(([param, value]) => `${param} = ${value}`);
  return rendered(`[${remote.toLowerCase()}]\n${body.join('\n')}\n`);
}
