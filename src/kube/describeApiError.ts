import { statusLine } from './kubeApi.js';

/**
 * A one-line reason for a failed Kubernetes API call. An API error (kubeApi's ApiError, and
 * client-node's ApiException in the CLI) carries the HTTP code and the API's explanation (a Status
 * object) in `body`; keep the code and the Status message, never the headers or a whole body.
 */
export function describeApiError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code, body } = err as Error & { code?: unknown; body?: unknown };
  if (typeof code !== 'number') return err.message.split('\n')[0] ?? 'error';
  return statusLine(code, typeof body === 'string' ? body : JSON.stringify(body ?? null));
}
