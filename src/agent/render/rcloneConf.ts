import { rcloneParam, rcloneRemote } from '../../credentials/rules/rcloneKeys.js';
import { type RenderResult, type SecretFiles, renderFailed, rendered, singleLine, textOf } from './renderer.js';

/**
 * Render an `rclone` credential (keys `RCLONE_CONFIG_<REMOTE>_<PARAM>`) as an `rclone.conf` with one
 * `[remote]` section, under the same key rules the Secret webhook applies (credentials/rules/).
 */
export function renderRcloneConf(files: SecretFiles, _credential: string): RenderResult {
  const keys = [...files.keys()].sort();
  const { remote, problems } = rcloneRemote(keys);
  if (problems[0] || remote === undefined) return renderFailed(problems[0]?.message ?? 'no remote');
  const params: Array<[string, string]> = [];
  for (const key of keys) {
    const text = textOf(files, key);
    if (text === undefined) return renderFailed(`key "${key}" is empty`);
    const line = singleLine(text);
    if (!line.ok) return renderFailed(`key "${key}" must be a single line`);
    params.push([rcloneParam(key, remote), line.value]);
  }
  // `type` first, as rclone config writes it; the rest sorted so output is stable.
  params.sort(([a], [b]) => (a === 'type' ? -1 : b === 'type' ? 1 : a < b ? -1 : 1));
  const body = params.map(([param, value]) => `${param} = ${value}`);
  return rendered(`[${remote.toLowerCase()}]\n${body.join('\n')}\n`);
}
