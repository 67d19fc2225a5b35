import type { V1Secret } from '@kubernetes/client-node';
import type { WebhookConfigKind } from '../../../src/server/tls/caBundlePatch.js';
import type { TlsBootstrapClient } from '../../../src/server/tls/selfSignedBootstrap.js';

type Webhooks = { name: string; caBundle?: string }[];

/**
 * An in-memory API with the semantics the bootstrap relies on: create is atomic and answers
 * AlreadyExists, replace is a compare-and-swap on resourceVersion, JSON patches apply with `test`.
 */
export function fakeTlsClient(webhooks: Partial<Record<WebhookConfigKind, Record<string, Webhooks>>> = {}) {
  const secrets = new Map<string, V1Secret>();
  const calls: string[] = [];
  let version = 1;
  const configs = structuredClone(webhooks);
  const client: TlsBootstrapClient = {
    async createSecret(namespace, secret) {
      calls.push('create');
      const key = `${namespace}/${secret.metadata?.name}`;
      if (secrets.has(key)) return 'exists';
      secrets.set(key, { ...structuredClone(secret), metadata: { ...secret.metadata, resourceVersion: String(version++) } });
      return 'created';
    },
    async readSecret(namespace, name) {
      calls.push('read');
      const secret = secrets.get(`${namespace}/${name}`);
      if (!secret) throw new Error('404');
      return structuredClone(secret);
    },
    async replaceSecret(namespace, secret) {
      calls.push('replace');
      const key = `${namespace}/${secret.metadata?.name}`;
      if (secrets.get(key)?.metadata?.resourceVersion !== secret.metadata?.resourceVersion) return 'conflict';
      secrets.set(key, { ...structuredClone(secret), metadata: { ...secret.metadata, resourceVersion: String(version++) } });
      return 'replaced';
    },
    async readWebhookConfiguration(kind, name) {
      const found = configs[kind]?.[name];
      if (!found) throw new Error(`404 ${kind} ${name}`);
      return { webhooks: structuredClone(found) };
    },
    async patchWebhookConfiguration(kind, name, patch) {
      calls.push(`patch ${kind}`);
      const entries = configs[kind]![name]!;
      for (const op of patch as { op: string; path: string; value: string }[]) {
        const index = Number(op.path.split('/')[2]);
        if (op.op === 'test' && entries[index]?.name !== op.value) throw new Error('test failed');
        if (op.op === 'add') entries[index]!.caBundle = op.value;
      }
    },
  };
  return { client, secrets, calls, configs };
}
