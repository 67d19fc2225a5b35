import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import type { ExpiryPolicy } from '../admission/expiryCheck.js';
import { mutate } from '../admission/mutate.js';
import type { AdmissionRequest } from '../admission/review.js';
import type { AdmissionStore } from '../admission/store.js';
import type { Decision } from '../contract/decision.js';
import type { EventRecorder } from '../kube/eventRecorder.js';
import { namespacePolicyDenial } from '../policy/admissionPolicy.js';
import { deletionBlockedEvent } from './deletionBlockedEvent.js';
import type { NamespacePolicies } from '../policy/namespacePolicy.js';
import { validate, type ValidationSettings } from '../admission/validate.js';
import type { InjectionOptions } from '../engine/options.js';
import type { ServerMetrics } from './metrics.js';
import { sendJson, webhookRoute } from './webhookRoute.js';

export interface WebhookAppOptions {
  store: AdmissionStore;
  /** Where Events go (DeletionBlocked); absent without a cluster. */
  events?: EventRecorder;
  /** The Namespaces' policies, judged after validation; absent without a cluster. */
  policies?: NamespacePolicies;
  injection: InjectionOptions;
  /** Warnings or denials for credentials near or past expiry; the defaults warn within 7 days. */
  expiry?: ExpiryPolicy;
  /** The injector's namespace and whether it mirrors: for the cluster-scope warnings. */
  secrets?: ValidationSettings;
  logger: Logger;
  metrics: ServerMetrics;
  /** AdmissionReviews of large objects run to a few MiB (etcd allows 1.5 MiB, times two for UPDATE). */
  bodyLimitBytes: number;
  /** While draining, answers ask the client to reconnect (to another replica). */
  isDraining(): boolean;
}

/** Body-parser errors we answer ourselves: fixed texts, because JSON.parse messages quote the body. */
const bodyErrors: Record<string, { status: number; message: (limit: number) => string }> = {
  'entity.too.large': { status: 413, message: (limit) => `request body exceeds ${limit} bytes` },
  'entity.parse.failed': { status: 400, message: () => 'request body is not valid JSON' },
  'encoding.unsupported': { status: 415, message: () => 'unsupported Content-Encoding' },
  'charset.unsupported': { status: 415, message: () => 'unsupported charset; send UTF-8 JSON' },
  'request.aborted': { status: 400, message: () => 'request aborted' },
};

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
  return { status, message: () => 'request body cannot be read' };
}

/** The HTTPS app: `POST /mutate` and `POST /validate`, nothing else. */
export function webhookApp(options: WebhookAppOptions): Express {
  const { store, metrics, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Not strict: `null`, `"str"` and `123` are JSON too, and are told they are not an AdmissionReview.
  const json = express.json({ limit: options.bodyLimitBytes, type: 'application/json', strict: false });

  app.post(
    '/mutate',
    json,
    webhookRoute({
      webhook: 'mutate',
      logger,
      metrics,
      isDraining: options.isDraining,
      decide: (request) => mutate(request, store, options.injection, options.expiry),
      afterAnswer(_request, decision) {
        for (const credential of decision.injected ?? []) metrics.countInjection(credential.type);
      },
    }),
  );
  const settings = { ...options.secrets, injection: options.injection };
  const { policies } = options;
  const decideValidation = (request: AdmissionRequest): Decision => {
    const decision = validate(request, store, settings);
    if (decision.denial || !policies) return decision;
    const denial = namespacePolicyDenial(request, store, policies);
    return denial ? { patch: [], warnings: [], denial } : decision;
  };
  const { events } = options;
  app.post(
    '/validate',
    json,
    webhookRoute({
      webhook: 'validate',
      logger,
      metrics,
      isDraining: options.isDraining,
      decide: decideValidation,
      // Real requests only (the route skips dry runs), and in the background: never in the answer's way.
      afterAnswer(request, decision) {
        if (events && decision.blockedDeletion) events.record(deletionBlockedEvent(request, decision.blockedDeletion));
      },
    }),
  );
  app.use((_req, res) => sendJson(res, 404, { error: 'not found: POST /mutate or /validate' }, options.isDraining()));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const webhook = req.path === '/mutate' ? 'mutate' : req.path === '/validate' ? 'validate' : 'unknown';
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    const known = typeof type === 'string' ? bodyErrors[type] : unreadableBody(err, req.headers['content-encoding']);
    if (known) {
      metrics.observeRequest(webhook, 'unknown', 'invalid', 0);
      const message = known.message(options.bodyLimitBytes);
      // The fixed message only: the parser's own names the offending bytes.
      logger.warn({ webhook, status: known.status, problem: message }, 'rejected a request body');
      sendJson(res, known.status, { error: message }, options.isDraining());
      return;
    }
    // A bug. The message may embed the document (fast-json-patch does), so log the stack frames only.
    const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 8).join('\n') : '';
    logger.error({ webhook, errorName: err instanceof Error ? err.name : typeof err, stack }, 'admission handler failed');
    metrics.observeRequest(webhook, 'unknown', 'error', 0);
    sendJson(res, 500, { error: 'internal error; see the webhook log' }, options.isDraining());
  };
  app.use(onError);
  return app;
}
