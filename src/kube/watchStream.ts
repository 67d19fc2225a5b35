import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

export interface WatchStreamHandlers {
  /** The API server answered 200: the watch is established (events may follow). */
  onOpen(): void;
  onEvent(type: string, object: unknown): void;
  /** Once: null when the server ended the stream, an error otherwise (our own abort included). */
  onDone(err: Error | null): void;
}

/**
 * One `?watch=true` request, tied to `signal` from the start. client-node 1.4's Watch makes its
 * AbortController inside and hands it back only once fetch resolves, so a server that accepts and
 * never answers leaves a request nobody can cancel (and the process alive after SIGTERM). This one
 * is aborted by the caller's signal at any stage: connecting, waiting for headers, streaming.
 */
export async function openWatchStream(
  kubeConfig: KubeConfig,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  signal: AbortSignal,
  handlers: WatchStreamHandlers,
): Promise<void> {
  let finished = false;
  const finish = (err: Error | null): void => {
    if (finished) return;
    finished = true;
    handlers.onDone(err);
  };
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) return finish(new Error('no current cluster in the kubeconfig'));
  const url = new URL(cluster.server + path);
  url.searchParams.set('watch', 'true');
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  let options: Awaited<ReturnType<KubeConfig['applyToFetchOptions']>>;
  try {
    options = await kubeConfig.applyToFetchOptions({});
  } catch (err) {
    return finish(err instanceof Error ? err : new Error(String(err)));
  }
  if (signal.aborted) return finish(new Error('watch aborted'));
  const headers: Record<string, string> = {};
  (options.headers as unknown as Headers | undefined)?.forEach((value, key) => (headers[key] = value));
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const req = send(url, { method: 'GET', headers, agent: options.agent as HttpAgent & HttpsAgent, signal }, (res) => {
    if (res.statusCode !== 200) {
      const error = Object.assign(new Error(res.statusMessage || `HTTP ${res.statusCode}`), { statusCode: res.statusCode });
      res.resume();
      return finish(error);
    }
    handlers.onOpen();
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    // readline re-emits its input's errors (an abort is one) and throws when nobody listens.
    lines.on('error', (err) => finish(err));
    lines.on('line', (line) => {
      if (finished || line.trim() === '') return;
      let event: { type?: unknown; object?: unknown };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return; // a torn line at an abort; the next watch resumes from the last good event
      }
      if (typeof event.type === 'string') handlers.onEvent(event.type, event.object);
    });
    res.on('error', (err) => finish(err));
    res.on('end', () => finish(null));
    res.on('close', () => finish(res.complete ? null : new Error('watch connection closed')));
  });
  req.on('error', (err) => finish(err));
  // As client-node does: TCP keep-alive probes find a peer that vanished without a FIN.
  req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
  req.end();
}
