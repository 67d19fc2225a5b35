import type { V1Secret } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from '../kube/kubeApi.js';
import { resourcePath, secretResource } from '../kube/kindListers.js';
import { digestKeyBytes, digestKeyField } from '../credentials/keyDigests.js';
import { describeApiError } from '../kube/describeApiError.js';

/** The Secret holding the shared digest key (server/digestKey.ts): `serve --digest-key-secret` in the injector's namespace. */
export interface DigestKeyRef {
  namespace: string;
  name: string;
}

export const defaultDigestKeySecret = 'credinject-system/credinject-digest-key';

/** `--digest-key-secret [namespace/]name`; a bare name is in credinject-system, where the chart installs. */
export function parseDigestKeyRef(value: string): DigestKeyRef | { error: string } {
  const parts = value.trim().split('/');
  const [namespace, name] = parts.length === 1 ? ['credinject-system', parts[0]!] : [parts[0]!, parts[1] ?? ''];
  const dns = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
  if (parts.length > 2 || !dns.test(namespace) || !dns.test(name)) return { error: `--digest-key-secret must be [namespace/]name, not "${value}"` };
  return { namespace, name };
}

/** The key, or why there is none: one sentence naming the Secret, and the RBAC rule that would allow reading it. */
export type DigestKeyAccess = { key: Buffer } | { notice: string };

/** The notice when the key cannot be read. Names the Secret and the rule; never the key. */
export function digestKeyNotice(ref: DigestKeyRef, problem: 'forbidden' | 'not found' | 'malformed' | string): string {
  const secret = `Secret ${ref.namespace}/${ref.name}`;
  const head = 'staleness is unknown ("?")';
  if (problem === 'forbidden') {
    return `${head}: forbidden to get ${secret}; a Role in namespace ${ref.namespace} with the rule {apiGroups: [""], resources: ["secrets"], resourceNames: ["${ref.name}"], verbs: ["get"]}, bound to you, allows it`;
  }
  if (problem === 'not found') return `${head}: ${secret} (the digest key) not found; it exists once serve runs with rotation enabled (--digest-key-secret names another)`;
  if (problem === 'malformed') return `${head}: ${secret} holds no ${digestKeyBytes}-byte key in data.key`;
  return `${head}: cannot get ${secret}: ${problem}`;
}

/** Reads the shared digest key with the user's own credentials, as far as their RBAC allows. */
export async function readDigestKey(api: KubeApi, ref: DigestKeyRef): Promise<DigestKeyAccess> {
  try {
    const secret = await api.call<V1Secret>({ method: 'GET', path: resourcePath(secretResource, ref.namespace, ref.name) });
    const key = Buffer.from(secret.data?.[digestKeyField] ?? '', 'base64');
    return key.length >= digestKeyBytes ? { key } : { notice: digestKeyNotice(ref, 'malformed') };
  } catch (err) {
    const code = apiStatus(err);
    return { notice: digestKeyNotice(ref, code === 403 ? 'forbidden' : code === 404 ? 'not found' : describeApiError(err)) };
  }
}
