import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import type { WatchedResource } from './watchedResource.js';

export interface InformerOptions {
  logger: Logger;
  backoff?: BackoffPolicy;
  /** Restart the watch when nothing (event, bookmark, reconnect) arrived for this long. */
  watchdogMs?: number;
  /** Server-side watch timeout; the API server ends the watch after it and we resume from the RV. */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  /** Called on every error that made the informer restart (for metrics). */
  onRestart?: (resource: string) => void;
}

export interface RunningInformer {
  readonly name: string;
  /** True once the first full list is in the sink; stays true across reconnects (stale beats down). */
  synced(): boolean;
  stop(): Promise<void>;
}

type WatchFn = Watch['watch'];

/**
 * client-node's ListWatch with the three things 1.4 lacks: restart after any error with jittered
 * backoff (it only recovers from 410 by itself), a watchdog for watches that hang silently, and a
 * projection applied to every listed and watched object before the cache sees it (its cache would
 * otherwise hold whole Secrets, values included).
 */
export function startResilientInformer<T extends KubernetesObject>(
  kubeConfig: KubeConfig,
  resource: WatchedResource<T>,
  options: InformerOptions,
): RunningInformer {
  const log = options.logger.child({ resource: resource.name });
  const watchdogMs = options.watchdogMs ?? 10 * 60_000;
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const pageSize = options.pageSize ?? 500;
  const realWatch = new Watch(kubeConfig);
  let synced = false;
  let stopped = false;
  let failures = 0;
  let lastActivity = Date.now();
  // Each watch call gets a generation; callbacks of a superseded watch are dropped, because 1.4
  // reports our own abort as an error and would otherwise tear down the watch that replaced it.
  let generation = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const touch = (): void => {
    lastActivity = Date.now();
  };

  async function list(): Promise<KubernetesListObject<T>> {
    const items: T[] = [];
    let page: KubernetesListObject<KubernetesObject>;
    let continueToken: string | undefined;
    do {
      page = await resource.listPage({
        limit: pageSize,
        ...(continueToken ? { _continue: continueToken } : {}),
        ...(resource.labelSelector ? { labelSelector: resource.labelSelector } : {}),
      });
      for (const object of page.items) items.push(resource.project(object));
      continueToken = page.metadata?._continue;
      touch(); // a long paginated list is progress, not a hang
    } while (continueToken);
    failures = 0;
    // Every page of a paginated list is served at the first page's resourceVersion.
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: page.metadata?.resourceVersion ?? '' }, items };
  }

  const watch: WatchFn = async (path, queryParams, callback, done) => {
    const current = ++generation;
    // The list (if any) is in the cache by the time the informer opens its watch.
    if (!synced) log.info('synced');
    synced = true;
    touch();
    const params = { ...queryParams, allowWatchBookmarks: true, timeoutSeconds: jitterSeconds(timeoutSeconds) };
    const onEvent = (phase: string, object: unknown, raw: unknown): void => {
      if (current !== generation) return;
      touch();
      failures = 0;
      const isObject = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
      callback(phase, isObject ? resource.project(object as KubernetesObject) : object, raw);
    };
    const onDone = (err: unknown): void => {
      if (current === generation && !stopped) done(err);
    };
    try {
      return await realWatch.watch(path, params, onEvent, onDone);
    } catch (err) {
      // Watch throws before connecting (no cluster in the kubeconfig); make it a watch error so
      // the informer's error path, not an unhandled rejection, deals with it.
      onDone(err);
      return new AbortController();
    }
  };

  const projectingWatch: Watch = { config: kubeConfig, watch };
  const informer = new ListWatch<T>(resource.path, projectingWatch, list, false, resource.labelSelector);
  informer.on('add', (entry) => resource.upsert(entry));
  informer.on('update', (entry) => resource.upsert(entry));
  informer.on('delete', (entry) => resource.remove(entry));
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    const delay = backoffDelay(failures++, options.backoff ?? defaultBackoff);
    // Message and status only: an API error's body can quote the request, never log it whole.
    log.warn({ error: errorSummary(err), retryInMs: delay }, 'watch failed; restarting');
    options.onRestart?.(resource.name);
    scheduleStart(delay);
  });

  function scheduleStart(delay: number): void {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      touch();
      if (!stopped) void informer.start();
    }, delay);
    retryTimer.unref();
  }

  const watchdog = setInterval(() => {
    if (stopped || retryTimer !== undefined || Date.now() - lastActivity < watchdogMs) return;
    log.warn({ idleMs: Date.now() - lastActivity }, 'watch silent too long; restarting');
    options.onRestart?.(resource.name);
    generation++; // drop the old watch's late callbacks
    void informer.stop().then(() => {
      if (!stopped) scheduleStart(0);
    });
  }, Math.max(50, Math.floor(watchdogMs / 4)));
  watchdog.unref();

  touch();
  void informer.start();

  return {
    name: resource.name,
    synced: () => synced,
    async stop() {
      stopped = true;
      generation++;
      clearInterval(watchdog);
      clearTimeout(retryTimer);
      await informer.stop();
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
