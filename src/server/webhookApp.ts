import type { RequestListener } from 'node:http';
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
import { internalError, type AnswerContext } from './webhookAnswers.js';
import { reviewHandler, type ReviewHandler } from './webhookRoute.js';

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
    fallback: loadedOnFirstRequest(options, () => import('./webhookFallbackApp.js').then((m) => m.webhookFallbackApp(options, handlers))),
  });
}

/**
 * A listener built when its first request arrives: express (about 17 MB of RSS loaded) answers
 * only what the fast path leaves, which the API server never sends, so a server that is never
 * sent such a request never loads it. The request's body waits in its stream meanwhile.
 */
function loadedOnFirstRequest(context: AnswerContext, load: () => Promise<RequestListener>): RequestListener {
  let listener: Promise<RequestListener> | undefined;
  return (req, res) => {
    listener ??= load();
    listener.then(
      (handle) => handle(req, res),
      (err: unknown) => internalError(context, res, 'unknown', err),
    );
  };
}
