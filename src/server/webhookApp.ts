import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { mutate } from '../admission/mutate.js';
import type { AdmissionStore } from '../admission/store.js';
import { validate, type ValidationSettings } from '../admission/validate.js';
import type { InjectionOptions } from '../engine/options.js';
import type { ServerMetrics } from './metrics.js';
import { sendJson, webhookRoute } from './webhookRoute.js';

export interface WebhookAppOptions {
  store: AdmissionStore;
  injection: InjectionOptions;
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

/** The HTTPS app: `POST /mutate` and `POST /validate`, nothing else. */
export function webhookApp(options: WebhookAppOptions): Express {
  const { store, metrics, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const json = express.json({ limit: options.bodyLimitBytes, type: 'application/json', strict: true });

  app.post(
    '/mutate',
    json,
    webhookRoute({
      webhook: 'mutate',
      logger,
      metrics,
      isDraining: options.isDraining,
      decide: (request) => mutate(request, store, options.injection),
      afterAllowed(_request, decision) {
        for (const credential of decision.injected ?? []) metrics.countInjection(credential.type);
      },
    }),
  );
  app.post('/validate', json, webhookRoute({ webhook: 'validate', logger, metrics, isDraining: options.isDraining, decide: (r) => validate(r, store, { ...options.secrets, injection: options.injection }) }));
  app.use((_req, res) => sendJson(res, 404, { error: 'not found: POST /mutate or /validate' }, options.isDraining()));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const webhook = req.path === '/mutate' ? 'mutate' : req.path === '/validate' ? 'validate' : 'unknown';
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    const known = typeof type === 'string' ? bodyErrors[type] : undefined;
    if (known) {
      metrics.observeRequest(webhook, 'unknown', 'invalid', 0);
      sendJson(res, known.status, { error: known.message(options.bodyLimitBytes) }, options.isDraining());
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
