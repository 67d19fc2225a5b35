import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { WebhookName } from './metrics.js';
import type { ReviewHandler } from './webhookRoute.js';
import { bodyErrors, internalError, rejectBody, unreadableBodyMessage, type AnswerContext } from './webhookAnswers.js';

/** JSON in UTF-8, as the API server sends it; any other spelling goes the framework's way. */
const plainJson = /^application\/json(?:; ?charset=utf-8)?$/i;
const digits = /^\d{1,10}$/;

/**
 * The webhook a request can be answered for without the framework, or undefined: a POST to exactly
 * `/mutate` or `/validate` (any query, e.g. the API server's `?timeout=10s`) with a UTF-8 JSON body
 * of a stated length within the limit, not encoded. That is every request the API server sends;
 * everything else (compressed or chunked bodies, other spellings of the path or type, a body over
 * the limit) is left to express, which answers it as it always has.
 */
export function fastPathWebhook(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders, limit: number): WebhookName | undefined {
  if (method !== 'POST' || url === undefined) return undefined;
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  const webhook = path === '/mutate' ? 'mutate' : path === '/validate' ? 'validate' : undefined;
  if (!webhook) return undefined;
  const type = headers['content-type'];
  const length = headers['content-length'];
  const encoding = headers['content-encoding'];
  if (type === undefined || !plainJson.test(type)) return undefined;
  if (length === undefined || !digits.test(length) || Number(length) > limit || headers['transfer-encoding'] !== undefined) return undefined;
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  return webhook;
}

/** A UTF-8 byte order mark, which body-parser's decoder drops. */
function textStart(body: Buffer): number {
  return body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

/**
 * The body as JSON, or undefined when it is not JSON. An empty body is `{}`, as body-parser reads
 * one (and then told it is not an AdmissionReview).
 */
export function parseJsonBody(body: Buffer): { value: unknown } | undefined {
  const start = textStart(body);
  if (body.length === start) return { value: {} };
  try {
    return { value: JSON.parse(body.toString('utf8', start)) };
  } catch {
    return undefined;
  }
}

export interface FastPathOptions extends AnswerContext {
  handlers: Record<WebhookName, ReviewHandler>;
  bodyLimitBytes: number;
  /** Everything the fast path does not take: express. */
  fallback: RequestListener;
}

/**
 * The webhook port's request listener: admission requests are read once into a buffer, parsed
 * once and answered by the endpoint's handler; the rest goes to the framework.
 */
export function admissionListener(options: FastPathOptions): RequestListener {
  const { handlers, bodyLimitBytes, fallback } = options;
  const answer = (webhook: WebhookName, body: Buffer, res: ServerResponse): void => {
    const parsed = parseJsonBody(body);
    if (!parsed) {
      const { status, message } = bodyErrors['entity.parse.failed']!;
      rejectBody(options, res, webhook, status, message(bodyLimitBytes));
      return;
    }
    try {
      handlers[webhook](parsed.value, res);
    } catch (err) {
      internalError(options, res, webhook, err);
    }
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const webhook = fastPathWebhook(req.method, req.url, req.headers, bodyLimitBytes);
    if (!webhook) {
      fallback(req, res);
      return;
    }
    const length = Number(req.headers['content-length']);
    // Node's parser hands over exactly Content-Length bytes; usually in one chunk, kept as it is.
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    req.on('end', () => {
      if (received !== length) {
        rejectBody(options, res, webhook, 400, unreadableBodyMessage);
        return;
      }
      answer(webhook, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received), res);
    });
    req.on('error', () => {
      const { status, message } = bodyErrors['request.aborted']!;
      if (!res.headersSent) rejectBody(options, res, webhook, status, message(bodyLimitBytes));
    });
  };
}
