export type WebhookConfigKind = 'mutating' | 'validating';

/**
 * JSON Patch setting `caBundle` on every webhook entry whose bundle differs. Each write is guarded
 * by a `test` of the entry's name, so a configuration edited between our read and our patch fails
 * the patch instead of receiving a bundle at the wrong index. Empty when nothing needs writing.
 */
export function webhookCaBundlePatch(webhooks: { name: string; caBundle?: string }[], caBundle: string): object[] {
  const ops: object[] = [];
  webhooks.forEach((webhook, index) => {
    if (webhook.caBundle === caBundle) return;
    ops.push({ op: 'test', path: `/webhooks/${index}/name`, value: webhook.name });
    // `add` on an existing member replaces it, and creates it when absent.
    ops.push({ op: 'add', path: `/webhooks/${index}/clientConfig/caBundle`, value: caBundle });
  });
  return ops;
}
