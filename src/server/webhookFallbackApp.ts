import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import type { WebhookName } from './metrics.js';
import { bodyErrors, internalError, rejectBody, sendJson, unreadableBodyMessage, type AnswerContext } from './webhookAnswers.js';
import { webhookRoute, type ReviewHandler } from './webhookRoute.js';

export interface FallbackAppOptions extends AnswerContext {
  bodyLimitBytes: number;
}

/**
 * A body the parser could not read for another reason, a client error all the same: a
 * Content-Encoding (gzip, deflate, br) whose bytes do not decode fails in zlib, and body-parser
 * passes it on as a 400 without a type.
 */
function unreadableBody(err: unknown, encoding: string | undefined): { status: number; message: () => string } | undefined {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (encoding !== undefined && encoding !== 'identity') {
    const name = /^[a-z0-9-]{1,16}$/i.test(encoding) ? encoding : 'its encoding';
    return { status: 400, message: () => `request body does not decode as Content-Encoding ${name}` };
  }
  return { status, message: () => unreadableBodyMessage };
}

/**
 * The express app behind the fast path: `POST /mutate` and `POST /validate` behind its JSON parser
 * (other encodings, chunked bodies), 404 for the rest, the body errors.
 */
export function webhookFallbackApp(options: FallbackAppOptions, handlers: Record<WebhookName, ReviewHandler>): RequestListener {
  const { metrics, logger } = options;
  const context = { logger, metrics, isDraining: options.isDraining };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Not strict: `null`, `"str"` and `123` are JSON too, and are told they are not an AdmissionReview.
  const json = express.json({ limit: options.bodyLimitBytes, type: 'application/json', strict: false });
  for (const webhook of ['mutate', 'validate'] as const) app.post(`/${webhook}`, json, webhookRoute(context, webhook, handlers[webhook]));
  app.use((_req, res) => sendJson(res, 404, { error: 'not found: POST /mutate or /validate' }, options.isDraining()));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const webhook = req.path === '/mutate' ? 'mutate' : req.path === '/validate' ? 'validate' : 'unknown';
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    const known = typeof type === 'string' ? bodyErrors[type] : unreadableBody(err, req.headers['content-encoding']);
    // The fixed message only: the parser's own names the offending bytes.
    if (known) rejectBody(context, res, webhook, known.status, known.message(options.bodyLimitBytes));
    else internalError(context, res, webhook, err);
  };
  app.use(onError);
  return app as RequestListener;
}
