import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/view/credentialStore.js';
import { createListGate } from '../../src/kube/listGate.js';
import { startResilientInformer, type RunningInformer } from '../../src/kube/resilientInformer.js';
import { createServiceAccountStore } from '../../src/view/serviceAccountStore.js';
import { watchedResources } from '../../src/view/watchedResources.js';
import { createUsageIndex } from '../../src/view/usageIndex.js';
import { createRetryGroup } from '../../src/kube/retryGroup.js';
import { eventually, startFakeApiServer } from './fakeApiServer.js';

const secret = (name: string, accessKey = 'AKIA-VALUE-MARKER') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'ml', labels: { 'credinject.dev/type': 'aws' } },
  data: {
    access_key_id: Buffer.from(accessKey).toString('base64'),
    secret_access_key: Buffer.from('secret-value-marker').toString('base64'),
  },
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { silenceMs?: number; pageSize?: number } = {}) {
  const api = await startFakeApiServer('/api/v1/secrets');
  const store = createCredentialStore();
  const kubeApi = api.api();
  const { secrets } = watchedResources(kubeApi, { credentials: store, usage: createUsageIndex(), serviceAccounts: createServiceAccountStore() });
  const restarts: string[] = [];
  const start = (): RunningInformer => {
    const informer = startResilientInformer(kubeApi, secrets, {
      logger: pino({ level: 'silent' }),
      backoff: { initialMs: 20, maxMs: 100 },
      silenceMs: options.silenceMs ?? 60_000,
      pageSize: options.pageSize ?? 500,
      onRestart: (resource) => restarts.push(resource),
    });
    cleanups.push(() => informer.stop());
    return informer;
  };
  cleanups.push(() => api.close());
  return { api, store, start, restarts };
}

describe('resilient informer', () => {
  it('fetches and projects each list page inside the shared gate, one informer at a time with a gate of one', async () => {
    const { api } = await setup();
    const kubeApi = api.api();
    const gate = createListGate(1);
    let inFlight = 0;
    let most = 0;
    let pages = 0;
    const slowPages = (name: string) => ({
      name,
      path: '/api/v1/secrets',
      listPage: async ({ _continue }: { _continue?: string }) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const page = Number(_continue ?? 0);
        return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '7', ...(page < 2 ? { _continue: String(page + 1) } : {}) }, items: [secret(`${name}-${page}`)] };
      },
      // The page's objects are projected before the gate lets the next page go.
      project: (object: { metadata?: { name?: string; namespace?: string } }) => {
        inFlight--;
        pages++;
        return { metadata: { name: object.metadata?.name ?? '', namespace: 'ml' } };
      },
      upsert: () => {},
      remove: () => {},
    });
    const informers = ['one', 'two', 'three'].map((name) =>
      startResilientInformer(kubeApi, slowPages(name), { logger: pino({ level: 'silent' }), listGate: gate }),
    );
    for (const informer of informers) cleanups.push(() => informer.stop());
    await eventually(() => informers.every((informer) => informer.synced()), 'sync');
    expect(pages).toBe(9);
    expect(most).toBe(1);
  });

  it('lists every page with the label selector, then watches with it', async () => {
    const { api, store, start } = await setup({ pageSize: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) api.put(secret(name));
    const informer = start();
    await eventually(() => informer.synced(), 'sync');
    expect(store.list().map((c) => c.name).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await eventually(() => api.watchCount() === 1, 'the watch');
    const lists = api.requests.filter((r) => !r.watch);
    expect(lists).toHaveLength(3);
    for (const request of api.requests) expect(request.query.get('labelSelector')).toBe('credinject.dev/type');
    const watch = api.requests.find((r) => r.watch)!;
    expect(watch.query.get('allowWatchBookmarks')).toBe('true');
    expect(Number(watch.query.get('timeoutSeconds'))).toBeGreaterThan(0);
  });

  it('keeps metadata and key names, never values', async () => {
    const { api, store, start } = await setup();
    api.put(secret('a'));
    const informer = start();
    await eventually(() => informer.synced(), 'sync');
    expect(store.get('ml', 'a')?.keys).toEqual(['access_key_id', 'secret_access_key']);
    expect(JSON.stringify(store.list())).not.toMatch(/MARKER|marker|QUtJQS1WQUxVRS1NQVJLRVI/);
  });

  it('follows watch events: add, update, delete', async () => {
    const { api, store, start } = await setup();
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    api.put(secret('a'));
    await eventually(() => store.get('ml', 'a') !== undefined, 'the added Secret');
    api.put({ ...secret('a'), metadata: { ...secret('a').metadata, labels: { 'credinject.dev/type': 'huggingface' } } });
    await eventually(() => store.get('ml', 'a')?.type === 'huggingface', 'the updated Secret');
    api.remove('ml', 'a');
    await eventually(() => store.get('ml', 'a') === undefined, 'the deletion');
  });

  it('resumes after the API server ends a watch, without listing again', async () => {
    const { api, store, start } = await setup();
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    api.endWatches();
    await eventually(() => api.watchCount() === 2, 'a new watch');
    api.put(secret('later'));
    await eventually(() => store.get('ml', 'later') !== undefined, 'an event on the new watch');
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(1);
  });

  it('restarts with backoff after watch errors (1.4 gives up on anything but 410)', async () => {
    const { api, store, start, restarts } = await setup();
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    api.setWatchMode('fail');
    api.endWatches();
    await eventually(() => restarts.length >= 2, 'two restarts');
    api.setWatchMode('serve');
    const watches = api.watchCount();
    await eventually(() => api.watchCount() > watches, 'a watch after recovery');
    api.put(secret('after-outage'));
    await eventually(() => store.get('ml', 'after-outage') !== undefined, 'events after recovery');
    expect(informer.synced()).toBe(true);
  });

  it('is not synced while the first list fails, and syncs once it succeeds', async () => {
    const { api, start } = await setup();
    api.failNextLists(2);
    api.put(secret('a'));
    const informer = start();
    expect(informer.synced()).toBe(false);
    await eventually(() => informer.synced(), 'sync after list failures');
    expect(api.requests.filter((r) => !r.watch)).toHaveLength(3);
  });

  it('lists again on 410 Gone and drops what was deleted meanwhile', async () => {
    const { api, store, start } = await setup();
    api.put(secret('stays'));
    api.put(secret('goes'));
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    api.remove('ml', 'goes', true);
    api.compact();
    api.endWatches();
    await eventually(() => store.get('ml', 'goes') === undefined, 'the relist to drop the deleted Secret');
    expect(store.get('ml', 'stays')).toBeDefined();
  });

  it('restarts a watch that went silent (watchdog)', async () => {
    const { api, store, start, restarts } = await setup({ silenceMs: 300 });
    api.setWatchMode('hang');
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the hanging watch');
    api.setWatchMode('serve');
    await eventually(() => api.watchCount() >= 2, 'the watchdog to reconnect');
    expect(restarts).toContain('secrets');
    api.put(secret('after-hang'));
    await eventually(() => store.get('ml', 'after-hang') !== undefined, 'events on the new watch');
  });

  it.each([
    ['its first list', false],
    ['its watch', true],
  ])('stop() closes %s when the API server accepts and never answers', async (_what, listFirst) => {
    const { api, start } = await setup();
    if (!listFirst) api.setAnswering(false);
    const informer = start();
    if (listFirst) {
      await eventually(() => informer.synced(), 'sync');
      api.setAnswering(false);
      api.endWatches();
      await eventually(() => api.requests.filter((r) => r.watch).length === 2, 'the unanswered watch');
    } else {
      await eventually(() => api.requests.length === 1, 'the unanswered list');
    }
    expect(api.openConnections()).toBeGreaterThan(0);
    await informer.stop();
    // The pending request is aborted on stop: its connection goes, nothing keeps the process up.
    await eventually(() => api.openConnections() === 0, 'the pending connection to close');
  });

  it('is known good only while watching: not after a watch error, again once the watch is back', async () => {
    const { api, start } = await setup();
    const informer = start();
    await eventually(() => informer.health().current, 'the first watch');
    expect(informer.health().lastEventAgeMs).toBeDefined();
    api.setWatchMode('fail');
    api.endWatches();
    await eventually(() => !informer.health().current, 'the failed watch');
    expect(informer.health().synced).toBe(true);
    api.setWatchMode('serve');
    await eventually(() => informer.health().current, 'the watch back');
  });

  it('restarts a watch that gets no answer within the silence bound, and is not known good until one answers', async () => {
    const { api, start, restarts } = await setup({ silenceMs: 200 });
    const informer = start();
    await eventually(() => informer.health().current, 'the first watch');
    api.setAnswering(false);
    api.endWatches(); // the informer resumes from its resourceVersion, into a server that never answers
    await eventually(() => restarts.length > 0, 'the silence bound to restart the unanswered watch');
    expect(informer.health().current).toBe(false);
    api.setAnswering(true);
    await eventually(() => informer.health().current, 'an answered watch');
  });

  it('retries at once when another informer of its group reconnects, not after its grown backoff', async () => {
    // A backoff of 30 s or more, so only the group's hurry can make it retry within the poll deadline.
    const group = createRetryGroup({ initialMs: 60_000, maxMs: 120_000, reachableMaxMs: 120_000 });
    const failing = await setup();
    const healthy = await setup();
    const logger = pino({ level: 'silent' });
    const kubeApiOf = (api: typeof failing.api) => api.api();
    const resource = (api: typeof failing.api, name: string) => ({
      ...watchedResources(kubeApiOf(api), { credentials: createCredentialStore(), usage: createUsageIndex(), serviceAccounts: createServiceAccountStore() }).secrets,
      name,
    });
    failing.api.failNextLists(1);
    const slow = startResilientInformer(kubeApiOf(failing.api), resource(failing.api, 'statefulsets'), { logger, retryGroup: group });
    cleanups.push(() => slow.stop());
    await eventually(() => failing.api.requests.length === 1, 'the failed list');
    expect(slow.synced()).toBe(false);
    const fast = startResilientInformer(kubeApiOf(healthy.api), resource(healthy.api, 'pods'), { logger, retryGroup: group });
    cleanups.push(() => fast.stop());
    await eventually(() => fast.health().current, 'the other informer to connect');
    await eventually(() => slow.synced(), 'the failed informer to retry once the other reconnected');
  });

  it('stops for good', async () => {
    const { api, start } = await setup();
    const informer = start();
    await eventually(() => informer.synced() && api.watchCount() === 1, 'the watch');
    await informer.stop();
    const count = api.requests.length;
    api.endWatches();
    // Proving an absence needs a window; a running informer would reconnect well within it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.requests.length).toBe(count);
  });
});
