import { isRecord } from '../../contract/json.js';
import { parseJsonQuietly } from '../../credentials/formatChecks.js';
import { type RenderResult, type SecretFiles, renderFailed, rendered, textOf } from './renderer.js';


/**
 * Render a `docker-registry` credential's `.dockerconfigjson` as a docker `config.json`. Only `auths`
 * is kept: `credsStore`/`credHelpers` name helper binaries the app container does not have. Entries
 * with only `username`/`password` get `auth`, which some clients (e.g. crane, older skopeo) require.
 */
export function renderDockerConfig(files: SecretFiles, _credential: string): RenderResult {
  const text = textOf(files, '.dockerconfigjson');
  if (text === undefined) return renderFailed('missing key ".dockerconfigjson"');
  const parsed = parseJsonQuietly(text);
  if (!parsed.ok) return renderFailed('key ".dockerconfigjson" is not valid JSON');
  if (!isRecord(parsed.value) || !isRecord(parsed.value['auths'])) {
    return renderFailed('key ".dockerconfigjson" has no "auths" object');
  }
  // A null-prototype map, so a registry named "__proto__" stays an ordinary entry.
  const auths: Record<string, Record<string, unknown>> = Object.create(null) as Record<string, Record<string, unknown>>;
  for (const [registry, entry] of Object.entries(parsed.value['auths'])) {
    // Registry host names are not secret; naming them makes the message actionable.
    if (!isRecord(entry)) return renderFailed(`key ".dockerconfigjson": auths entry "${registry}" is not an object`);
    const { auth, username, password, identitytoken, registrytoken } = entry;
    // A token entry (e.g. Azure's identitytoken) needs no `auth`: docker sends the token instead.
    const hasToken = [identitytoken, registrytoken].some((token) => typeof token === 'string' && token !== '');
    if ((typeof auth === 'string' && auth !== '') || hasToken) {
      auths[registry] = { ...entry };
    } else if (typeof username === 'string' && typeof password === 'string') {
      auths[registry] = { ...entry, auth: Buffer.from(`${username}:${password}`, 'utf8').toString('base64') };
    } else {
      return renderFailed(`key ".dockerconfigjson": auths entry "${registry}" has neither "auth" nor "username" and "password" (nor a token)`);
    }
  }
  return rendered(`${JSON.stringify({ auths }, null, 2)}\n`);
}
