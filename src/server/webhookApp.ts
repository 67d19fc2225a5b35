import type { RequestListener } from 'node:http';
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
import type { ServerMetrics, WebhookName } from './metrics.js';
import { admissionListener } from './admissionFastPath.js';
import { bodyErrors, internalError, rejectBody, sendJson, unreadableBodyMessage } from './webhookAnswers.js';
import { reviewHandler, webhookRoute, type ReviewHandler } from './webhookRoute.js';

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
  /** Where the audit lines go (createAuditLogger). */
  audit: Logger;
  metrics: ServerMetrics;
  /** AdmissionReviews of large objects run to a few MiB (etcd allows 1.5 MiB, times two for UPDATE). */
  bodyLimitBytes: number;
  /** While draining, answers ask the client to reconnect (to another replica). */
  isDraining(): boolean;
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

/** The two endpoints' pipelines from a JSON body to the answer, shared by the fast path and express. */
function webhookHandlers(options: WebhookAppOptions): Record<WebhookName, ReviewHandler> {
  const { store, metrics } = options;
  const context = { logger: options.logger, audit: options.audit, metrics, isDraining: options.isDraining };
  const settings = { ...options.secrets, injection: options.injection };
  const { policies, events } = options;
  const decideValidation = (request: AdmissionRequest): Decision => {
    const decision = validate(request, store, settings);
    if (decision.denial || !policies) return decision;
    const denial = namespacePolicyDenial(request, store, policies);
    return denial ? { patch: [], warnings: [], denial } : decision;
  };
  return {
    mutate: reviewHandler({
      ...context,
      webhook: 'mutate',
      decide: (request) => mutate(request, store, options.injection, options.expiry),
      afterAnswer(_request, decision) {
        for (const credential of decision.injected ?? []) metrics.countInjection(credential.type);
      },
    }),
    validate: reviewHandler({
      ...context,
      webhook: 'validate',
      decide: decideValidation,
      // Real requests only (the route skips dry runs), and in the background: never in the answer's way.
      afterAnswer(request, decision) {
        if (events && decision.blockedDeletion) events.record(deletionBlockedEvent(request, decision.blockedDeletion));
      },
    }),
  };
}

/**
 * The webhook port: admission requests as the API server sends them take the fast path
 * (src/server/admissionFastPath.ts); express serves the rest as before (other encodings, errors, 404s).
 */
export function webhookListener(options: WebhookAppOptions): RequestListener {
  const handlers = webhookHandlers(options);
  return admissionListener({
    logger: options.logger,
    metrics: options.metrics,
    isDraining: options.isDraining,
    handlers,
    bodyLimitBytes: options.bodyLimitBytes,
    fallback: webhookApp(options, handlers),
  });
}

/** The express app: `POST /mutate` and `POST /validate` behind its JSON parser, 404 for the rest, the body errors. */
export function webhookApp(options: WebhookAppOptions, handlers: Record<WebhookName, ReviewHandler> = webhookHandlers(options)): Express {
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
  return app;
}
