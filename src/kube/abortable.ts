import { Observable, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';

/**
 * Per-call options for client-node's generated API calls that tie the request to `signal`: its
 * fetch is aborted with it. 1.4 has no signal parameter, but a call-time middleware may set one on
 * the request context; "append" keeps the kubeconfig's own middleware in front.
 */
export function abortable(signal: AbortSignal | undefined) {
  if (!signal) return undefined;
  const middleware: ObservableMiddleware = {
    pre(context: RequestContext) {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' as const };
}
