/**
 * A one-line reason for a failed Kubernetes API call. client-node's ApiException puts the HTTP code
 * on its first line and the API's explanation (a Status object) in `body`; keep the code and the
 * Status message, never the headers or a whole body.
 */
export function describeApiError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code, body } = err as Error & { code?: unknown; body?: unknown };
  if (typeof code !== 'number') return err.message.split('\n')[0] ?? 'error';
  let status: { message?: unknown; reason?: unknown } | undefined;
  try {
    status = (typeof body === 'string' ? JSON.parse(body) : body) as typeof status;
  } catch {
    status = undefined;
  }
  const message = typeof status?.message === 'string' ? status.message : undefined;
  const reason = typeof status?.reason === 'string' ? status.reason : undefined;
  return `HTTP ${code}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`;
}
