import type { KubernetesObject } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from './kubeApi.js';
import { createInformerCache } from './informerCache.js';
import type { Logger } from 'pino';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { isSilent, silenceCheckIntervalMs, type InformerHealth } from './informerHealth.js';
import { createRetryGroup, defaultRetryGroupPolicy, type RetryGroup } from './retryGroup.js';
import { openWatchStream } from './watchStream.js';
import type { ListGate } from './listGate.js';
import type { WatchedResource } from './watchedResource.js';

export interface InformerOptions {
  logger: Logger;
  /** Backoff of an informer of its own group (ignored when `retryGroup` is given). */
  backoff?: BackoffPolicy;
  /** Informers of one API server retry together: one reconnecting resets the others' backoff. */
  retryGroup?: RetryGroup;
  /** Restart the watch when nothing (event, bookmark, list page) arrived for this long. */
  silenceMs?: number;
  /** Server-side watch timeout; the API server ends the watch after it and we resume from the RV. */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  /** Shared by informers that list together, to bound the pages in flight (listGate.ts). */
  listGate?: ListGate;
  /** Called on every error that made the informer restart (for metrics). */
  onRestart?: (resource: string) => void;
}

export interface RunningInformer {
  readonly name: string;
  /** True once the first full list is in the sink; stays true across reconnects (stale beats down). */
  synced(): boolean;
  health(): InformerHealth;
  /** Aborts every pending list and watch request: nothing of this informer stays open after it. */
  stop(): Promise<void>;
}

/** 2.5 min: past two of the API server's one-minute bookmarks, well short of the old 10 min. */
export const defaultSilenceMs = 150_000;

/**
 * List, then watch from the list's resourceVersion, as client-go's reflector does: a watch the API
 * server ends is resumed from the last version seen, a 410 (the version is too old) lists again,
 * and any other error restarts with a backoff shared by the informers of one API server. A silence
 * bound restarts watches that stall with the connection up; every request is aborted on stop
 * whatever stage it is in. Each listed or watched object is projected before anything keeps it,
 * and only the projection is kept (informerCache.ts): no whole Secret, no second copy.
 */
export function startResilientInformer<T extends KubernetesObject>(api: KubeApi, resource: WatchedResource<T>, options: InformerOptions): RunningInformer {
  const log = options.logger.child({ resource: resource.name });
  const silenceMs = options.silenceMs ?? defaultSilenceMs;
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const pageSize = options.pageSize ?? 500;
  const group = options.retryGroup ?? createRetryGroup({ ...defaultRetryGroupPolicy, ...options.backoff });
  const cache = createInformerCache(resource);
  const stopping = new AbortController();
  // One controller per list-and-watch attempt: silence aborts the attempt, stop aborts them all.
  let attempt = new AbortController();
  let synced = false;
  let current = false;
  let stopped = false;
  let resourceVersion = '';
  let lastActivity = Date.now();
  let lastEvent: number | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  // Anything the API server sent: an event, a bookmark, a list page, a watch's 200.
  const touch = (): void => {
    lastActivity = Date.now();
    lastEvent = lastActivity;
  };
  const notCurrent = (): void => {
    current = false;
    group.disconnected(resource.name);
  };

  const ungated: ListGate = { run: (task) => task() };
  const gate = options.listGate ?? ungated;

  /** Lists every page into the cache; what the list no longer has is removed at its end. */
  async function list(signal: AbortSignal): Promise<void> {
    notCurrent(); // the cache is being replaced; it is not known good until the watch is open
    const relist = cache.beginList();
    let continueToken: string | undefined;
    let listVersion = '';
    do {
      // Fetched and projected inside the gate: the page's whole objects are gone before it opens again.
      const metadata = await gate.run(async () => {
        const page = await resource.listPage(
          {
            limit: pageSize,
            ...(continueToken ? { _continue: continueToken } : {}),
            ...(resource.labelSelector ? { labelSelector: resource.labelSelector } : {}),
          },
          signal,
        );
        for (const object of page.items) relist.put(resource.project(object));
        return page.metadata;
      });
      continueToken = metadata?._continue;
      // Every page of a paginated list is served at the first page's resourceVersion.
      listVersion ||= metadata?.resourceVersion ?? '';
      touch(); // a long paginated list is progress, not a hang
    } while (continueToken);
    relist.end();
    resourceVersion = listVersion;
  }

  /** One watch from `resourceVersion`; resolves when the server ends it, rejects on an error. */
  function watch(signal: AbortSignal): Promise<void> {
    if (!synced) log.info('synced'); // the list is in the cache by the time the watch opens
    synced = true;
    lastActivity = Date.now(); // waiting for the answer counts against the bound from here
    const query = {
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: jitterSeconds(timeoutSeconds),
      ...(resource.labelSelector ? { labelSelector: resource.labelSelector } : {}),
    };
    return new Promise((resolve, reject) => {
      void openWatchStream(api, resource.path, query, signal, {
        onOpen() {
          if (signal.aborted) return;
          touch();
          if (!current) log.debug('watching');
          current = true;
          group.connected(resource.name);
        },
        onEvent(phase, object) {
          if (signal.aborted) return;
          touch();
          const metadata = (object as KubernetesObject | undefined)?.metadata;
          const version = metadata?.resourceVersion;
          if (phase === 'ADDED' || phase === 'MODIFIED') cache.put(resource.project(object as KubernetesObject));
          // No projection for a deletion (for a Secret it would validate and digest the values): the cache hands the sink what it holds.
          else if (phase === 'DELETED') cache.delete(metadata?.namespace ?? '', metadata?.name ?? '');
          else if (phase === 'ERROR') {
            // The watch ends after it; an expired version means listing again.
            if ((object as { code?: unknown } | undefined)?.code === 410) resourceVersion = '';
            return;
          }
          if (version) resourceVersion = version;
        },
        onDone: (err) => (err ? reject(err) : resolve()),
      });
    });
  }

  /** Lists if there is no version to resume from, then watches, again and again, until an error. */
  async function run(): Promise<void> {
    const signal = AbortSignal.any([stopping.signal, attempt.signal]);
    try {
      for (;;) {
        if (!resourceVersion) await list(signal);
        try {
          await watch(signal);
        } catch (err) {
          if (apiStatus(err) !== 410 || signal.aborted) throw err;
          resourceVersion = ''; // too old to resume from: list again, at once
        }
        if (stopped) return;
      }
    } catch (err) {
      if (stopped) return;
      notCurrent();
      const delay = group.failed(resource.name);
      // Message and status only: an API error's body can quote the request, never log it whole.
      log.warn({ error: errorSummary(err), retryInMs: delay }, 'watch failed; restarting');
      options.onRestart?.(resource.name);
      scheduleStart(delay);
    }
  }

  const leave = group.join(resource.name, () => {
    // Another informer reached the API server: retry now instead of waiting out a long backoff.
    if (retryTimer !== undefined) scheduleStart(backoffDelay(0, { initialMs: 200, maxMs: 200 }));
  });

  function scheduleStart(delay: number): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (stopped) return;
      lastActivity = Date.now(); // the new attempt gets the whole bound
      attempt = new AbortController();
      void run();
    }, delay);
    retryTimer.unref();
  }

  const silenceCheck = setInterval(() => {
    if (stopped || !isSilent(Date.now(), lastActivity, silenceMs, retryTimer !== undefined)) return;
    log.warn({ idleMs: Date.now() - lastActivity, silenceMs }, 'watch silent too long; restarting');
    // The aborted list or watch fails like any other, and the error path restarts it.
    lastActivity = Date.now();
    notCurrent();
    attempt.abort(new Error('watch silent too long'));
  }, silenceCheckIntervalMs(silenceMs));
  silenceCheck.unref();

  lastActivity = Date.now();
  void run();

  return {
    name: resource.name,
    synced: () => synced,
    health: () => ({ synced, current, lastEventAgeMs: lastEvent === undefined ? undefined : Date.now() - lastEvent }),
    async stop() {
      stopped = true;
      current = false;
      clearInterval(silenceCheck);
      clearTimeout(retryTimer);
      leave();
      stopping.abort(new Error('informer stopped'));
    },
  };
}

/** Spread watch timeouts over [t, 1.5t) so many watches do not all reconnect in the same second. */
function jitterSeconds(seconds: number): number {
  return Math.floor(seconds * (1 + Math.random() / 2));
}

function errorSummary(err: unknown): { message: string; status?: number } {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const e = err as { message?: unknown; statusCode?: unknown; code?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
  return status === undefined ? { message } : { message, status };
}
