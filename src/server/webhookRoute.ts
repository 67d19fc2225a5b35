import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Decision } from '../contract/decision.js';
import { reviewResponse } from '../admission/response.js';
import { parseReview, type AdmissionRequest } from '../admission/review.js';
import { auditRecord } from './auditRecord.js';
import type { AdmissionResult, ServerMetrics, WebhookName } from './metrics.js';

export interface WebhookRouteOptions {
  webhook: WebhookName;
  decide(request: AdmissionRequest): Decision;
  /** Called after every real (not dry-run) answer, allowed or denied: counters, Events. Never blocks the answer. */
  afterAnswer?(request: AdmissionRequest, decision: Decision): void;
  logger: Logger;
  metrics: ServerMetrics;
  isDraining(): boolean;
}

/**
 * Writes a JSON answer. Whether to close is decided now, not when the request arrived: a request in
 * flight at shutdown gets its answer and, with it, the hint to reconnect (to another replica).
 */
export function sendJson(res: Response, status: number, body: unknown, draining: boolean): void {
  // Written straight to node's response: express's res.json/res.send machinery (content negotiation,
  // freshness, charset handling) is measurable per request and buys nothing for a JSON API.
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) };
  if (draining) headers['Connection'] = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/**
 * Whether the request announced a body. Without Content-Length or Transfer-Encoding (an HTTP/1.0
 * POST, say) there is none to read, whatever its Content-Type says.
 */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

function resultOf(decision: Decision): AdmissionResult {
  if (decision.denial) return 'denied';
  return decision.patch.length > 0 ? 'patched' : 'allowed';
}

/**
 * One webhook endpoint as a straight pipeline: body → AdmissionReview → decision → response.
 * The audit line names the request, its credentials and the outcome only; the object under review
 * is never logged.
 */
export function webhookRoute(options: WebhookRouteOptions): RequestHandler {
  const { webhook, metrics } = options;
  return (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    // express leaves the body undefined when there is none, or its Content-Type is not JSON.
    if (req.body === undefined) {
      metrics.observeRequest(webhook, 'unknown', 'invalid', seconds());
      const [status, error] = hasBody(req)
        ? [400, 'expected Content-Type application/json with an AdmissionReview body']
        : [411, 'no request body: send an AdmissionReview with Content-Length or chunked Transfer-Encoding'];
      options.logger.warn({ webhook, status, problem: error }, 'rejected a request body');
      sendJson(res, status, { error }, options.isDraining());
      return;
    }
    const parsed = parseReview(req.body);
    if ('error' in parsed) {
      metrics.observeRequest(webhook, 'unknown', 'invalid', seconds());
      options.logger.warn({ webhook, problem: parsed.error }, 'rejected a body that is not an AdmissionReview');
      sendJson(res, 400, { error: parsed.error }, options.isDraining());
      return;
    }
    const { request } = parsed.review;
    const decision = options.decide(request);
    const result = resultOf(decision);
    if (request.dryRun !== true) options.afterAnswer?.(request, decision);
    const elapsed = seconds();
    metrics.observeRequest(webhook, request.operation, result, elapsed);
    // The audit line: one per decision, at info, built from fields already at hand.
    options.logger.info(auditRecord(webhook, request, decision, result, elapsed), 'admission');
    sendJson(res, 200, reviewResponse(request.uid, decision), options.isDraining());
  };
}
