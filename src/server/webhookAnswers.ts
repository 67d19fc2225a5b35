import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ServerMetrics, WebhookName } from './metrics.js';

/** What every answer of the webhook port needs: where it logs and counts, and whether it drains. */
export interface AnswerContext {
  logger: Logger;
  metrics: ServerMetrics;
  /** While draining, answers ask the client to reconnect (to another replica). */
  isDraining(): boolean;
}

/**
 * Writes a JSON text as the answer. Whether to close is decided now, not when the request arrived:
 * a request in flight at shutdown gets its answer and, with it, the hint to reconnect.
 */
export function sendJsonText(res: ServerResponse, status: number, text: string, draining: boolean): void {
  // Written straight to node's response: express's res.json/res.send machinery (content negotiation,
  // freshness, charset handling) is measurable per request and buys nothing for a JSON API.
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) };
  if (draining) headers['Connection'] = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, draining: boolean): void {
  sendJsonText(res, status, JSON.stringify(body), draining);
}

/** A body refused before it became a review: counted as invalid, logged at warn with our fixed text (never the body). */
export function rejectBody(context: AnswerContext, res: ServerResponse, webhook: WebhookName | 'unknown', status: number, problem: string): void {
  context.metrics.observeRequest(webhook, 'unknown', 'invalid', 0);
  context.logger.warn({ webhook, status, problem }, 'rejected a request body');
  sendJson(res, status, { error: problem }, context.isDraining());
}

/** Body errors (body-parser's types, and the fast path's) answered with fixed texts: JSON.parse messages quote the body. */
export const bodyErrors: Record<string, { status: number; message: (limit: number) => string }> = {
  'entity.too.large': { status: 413, message: (limit) => `request body exceeds ${limit} bytes` },
  'entity.parse.failed': { status: 400, message: () => 'request body is not valid JSON' },
  'encoding.unsupported': { status: 415, message: () => 'unsupported Content-Encoding' },
  'charset.unsupported': { status: 415, message: () => 'unsupported charset; send UTF-8 JSON' },
  'request.aborted': { status: 400, message: () => 'request aborted' },
};

/** A body whose bytes did not add up to its Content-Length (body-parser's request.size.invalid). */
export const unreadableBodyMessage = 'request body cannot be read';

/**
 * A bug answered as a 500. The message may embed the document (fast-json-patch does), so only the
 * stack frames are logged.
 */
export function internalError(context: AnswerContext, res: ServerResponse, webhook: WebhookName | 'unknown', err: unknown): void {
  const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 8).join('\n') : '';
  context.logger.error({ webhook, errorName: err instanceof Error ? err.name : typeof err, stack }, 'admission handler failed');
  context.metrics.observeRequest(webhook, 'unknown', 'error', 0);
  sendJson(res, 500, { error: 'internal error; see the webhook log' }, context.isDraining());
}
