import { createInterface } from 'node:readline';
import type { KubeApi, Query } from './kubeApi.js';

export interface WatchStreamHandlers {
  /** The API server answered 200: the watch is established (events may follow). */
  onOpen(): void;
  onEvent(type: string, object: unknown): void;
  /** Once: null when the server ended the stream, an error otherwise (our own abort included). */
  onDone(err: Error | null): void;
}

/**
 * One `?watch=true` request, tied to `signal` from the start: aborted by it at any stage
 * (connecting, waiting for headers, streaming), so a server that accepts and never answers leaves
 * nothing open after stop. Events arrive one JSON object per line.
 */
export async function openWatchStream(api: KubeApi, path: string, query: Query, signal: AbortSignal, handlers: WatchStreamHandlers): Promise<void> {
  let finished = false;
  const finish = (err: Error | null): void => {
    if (finished) return;
    finished = true;
    handlers.onDone(err);
  };
  let res: Awaited<ReturnType<KubeApi['stream']>>;
  try {
    res = await api.stream(path, { ...query, watch: true }, signal);
  } catch (err) {
    return finish(err instanceof Error ? err : new Error(String(err)));
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
}
