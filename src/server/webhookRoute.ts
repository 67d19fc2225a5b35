import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Decision } from '../contract/decision.js';
import { reviewResponseText } from '../admission/response.js';
import { parseReview, type AdmissionRequest } from '../admission/review.js';
import { auditRecord } from './auditRecord.js';
import type { AdmissionResult, WebhookName } from './metrics.js';
import { rejectBody, sendJson, sendJsonText, type AnswerContext } from './webhookAnswers.js';

export interface WebhookRouteOptions extends AnswerContext {
  webhook: WebhookName;
  /** The audit lines' logger (createAuditLogger): given AuditRecords only. */
  audit: Logger;
  decide(request: AdmissionRequest): Decision;
  /** Called after every real (not dry-run) answer, allowed or denied: counters, Events. Never blocks the answer. */
  afterAnswer?(request: AdmissionRequest, decision: Decision): void;
}

/** Answers one parsed JSON body (whatever JSON it is) on `res`. */
export type ReviewHandler = (body: unknown, res: ServerResponse) => void;

function resultOf(decision: Decision): AdmissionResult {
  if (decision.denial) return 'denied';
  return decision.patch.length > 0 ? 'patched' : 'allowed';
}

/**
 * One webhook endpoint as a straight pipeline: JSON body → AdmissionReview → decision → response,
 * whoever read the body (the fast path or express). The audit line names the request, its
 * credentials and the outcome only; the object under review is never logged.
 */
export function reviewHandler(options: WebhookRouteOptions): ReviewHandler {
  const { webhook, metrics, logger, audit } = options;
  return (body, res) => {
    const started = process.hrtime.bigint();
    const parsed = parseReview(body);
    if ('error' in parsed) {
      metrics.observeRequest(webhook, 'unknown', 'invalid', Number(process.hrtime.bigint() - started) / 1e9);
      logger.warn({ webhook, problem: parsed.error }, 'rejected a body that is not an AdmissionReview');
      sendJson(res, 400, { error: parsed.error }, options.isDraining());
      return;
    }
    const { request } = parsed.review;
    const decision = options.decide(request);
    const result = resultOf(decision);
    if (request.dryRun !== true) options.afterAnswer?.(request, decision);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observeRequest(webhook, request.operation, result, elapsed);
    // The audit line: one per decision, at info, built from fields already at hand.
    audit.info(auditRecord(webhook, request, decision, result, elapsed), 'admission');
    sendJsonText(res, 200, reviewResponseText(request.uid, decision), options.isDraining());
  };
}

/**
 * Whether the request announced a body. Without Content-Length or Transfer-Encoding (an HTTP/1.0
 * POST, say) there is none to read, whatever its Content-Type says.
 */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

/**
 * The endpoint behind express's JSON parser: the requests the fast path leaves to express (other
 * encodings, chunked bodies, odd paths) and those whose body express does not parse.
 */
export function webhookRoute(context: AnswerContext, webhook: WebhookName, handle: ReviewHandler): RequestHandler {
  return (req: Request, res: Response) => {
    // express leaves the body undefined when there is none, or its Content-Type is not JSON.
    if (req.body === undefined) {
      const [status, error] = hasBody(req)
        ? [400, 'expected Content-Type application/json with an AdmissionReview body']
        : [411, 'no request body: send an AdmissionReview with Content-Length or chunked Transfer-Encoding'];
      rejectBody(context, res, webhook, status, error);
      return;
    }
    handle(req.body, res);
  };
}
