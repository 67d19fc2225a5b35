import type { V1Secret } from '@kubernetes/client-node';
import { keys } from '../contract/keys.js';
import { isRecord } from '../contract/json.js';
import type { CredentialProblem } from './credentialInfo.js';
import { credentialTypes } from './registry.js';
import { validateCredential } from './validateCredential.js';

/** One data key of the credential being built, and the flag it came from (for duplicate errors). */
export interface DraftEntry {
  key: string;
  value: string;
  from: string;
}

/** What `credinject create` was asked for, every input already read; values only in `entries`/`docker`. */
export interface CredentialDraft {
  type: string;
  name: string;
  namespace: string;
  entries: DraftEntry[];
  description?: string;
  scope?: string;
  namespaceSelector?: string;
  docker?: { server?: string; username?: string; password?: string; email?: string };
}

const dockerConfigKey = '.dockerconfigjson';

/** `.dockerconfigjson` as `kubectl create secret docker-registry` writes it. */
function dockerConfig(docker: NonNullable<CredentialDraft['docker']>): string {
  const auth = Buffer.from(`${docker.username}:${docker.password}`).toString('base64');
  return JSON.stringify({ auths: { [docker.server!]: { username: docker.username, password: docker.password, ...(docker.email ? { email: docker.email } : {}), auth } } });
}

function draftProblems(draft: CredentialDraft): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const seen = new Map<string, string>();
  for (const entry of draft.entries) {
    const earlier = seen.get(entry.key);
    if (earlier) problems.push({ key: entry.key, rule: 'duplicate-key', message: `key "${entry.key}" is given twice (${earlier} and ${entry.from}); give each key once` });
    seen.set(entry.key, entry.from);
  }
  const docker = draft.docker;
  if (docker && draft.type !== 'docker-registry') {
    problems.push({ rule: 'docker-flags', message: `--docker-server, --docker-username and --docker-password are for type docker-registry, not ${draft.type}` });
  }
  if (draft.type === 'docker-registry' && docker) {
    for (const [flag, value] of [['--docker-server', docker.server], ['--docker-username', docker.username], ['--docker-password', docker.password]] as const) {
      if (!value) problems.push({ key: dockerConfigKey, rule: 'missing-flag', message: `${flag} is needed with the other --docker-* flags` });
    }
    if (seen.has(dockerConfigKey)) problems.push({ key: dockerConfigKey, rule: 'duplicate-key', message: `key "${dockerConfigKey}" is given by a --from flag and by the --docker-* flags; give one` });
  }
  if (draft.namespaceSelector !== undefined && draft.scope !== 'cluster') {
    problems.push({ rule: 'selector-without-scope', message: '--namespace-selector is for --scope cluster' });
  }
  return problems;
}

/**
 * The credential Secret `credinject create` writes: the type label, the Secret type its type needs
 * (`kubernetes.io/dockerconfigjson`, `kubernetes.io/tls`), description, scope and selector, data in
 * base64; and every problem, the draft's own (duplicate keys, misplaced flags) and the webhook's
 * validation of the result. Problems name keys and flags, never a value.
 */
export function buildCredential(draft: CredentialDraft): { secret: V1Secret; problems: CredentialProblem[] } {
  const type = credentialTypes.get(draft.type);
  const values = new Map(draft.entries.map((entry) => [entry.key, entry.value]));
  const docker = draft.docker;
  if (draft.type === 'docker-registry' && docker?.server && docker.username && docker.password) values.set(dockerConfigKey, dockerConfig(docker));
  const annotations: Record<string, string> = {};
  if (draft.description !== undefined) annotations[keys.description] = draft.description;
  if (draft.namespaceSelector !== undefined) annotations[keys.namespaceSelector] = draft.namespaceSelector;
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: draft.name,
      namespace: draft.namespace,
      labels: { [keys.typeLabel]: draft.type, ...(draft.scope !== undefined ? { [keys.scopeLabel]: draft.scope } : {}) },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    type: type?.secretType ?? 'Opaque',
    data: Object.fromEntries([...values].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')])),
  };
  return { secret, problems: [...draftProblems(draft), ...validateCredential(secret)] };
}

/**
 * The keys of a JSON credential as ML platforms export them (Simplismart's `{"access_key_id": …,
 * "secret_access_key": …}`, `{"token": …, "server": …, "ca_certificate": …}`): each top-level
 * string is a key; numbers and booleans become their text. A `gcp` service-account key file is the
 * one key `service-account.json` as a whole. Problems never quote the input (JSON.parse's do).
 */
export function entriesFromJson(text: string, type: string, source: string): { entries: DraftEntry[]; problems: CredentialProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { entries: [], problems: [{ rule: 'not-json', message: `${source} is not valid JSON` }] };
  }
  if (!isRecord(parsed)) return { entries: [], problems: [{ rule: 'not-json-object', message: `${source} must hold a JSON object of keys to values` }] };
  const from = `--from-json ${source}`;
  if (type === 'gcp' && parsed['type'] === 'service_account') return { entries: [{ key: 'service-account.json', value: text, from }], problems: [] };
  const entries: DraftEntry[] = [];
  const problems: CredentialProblem[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') entries.push({ key, value, from });
    else if (typeof value === 'number' || typeof value === 'boolean') entries.push({ key, value: String(value), from });
    else problems.push({ key, rule: 'not-a-string', message: `JSON key "${key}" of ${source} must be a string, number or boolean` });
  }
  return { entries, problems };
}
