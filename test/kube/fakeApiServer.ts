import { writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { Agent } from 'node:http';
import { kubeApi, type KubeApi } from '../../src/kube/kubeApi.js';

type Json = Record<string, any>;
export type WatchMode = 'serve' | 'fail' | 'hang';

/**
 * A loopback stand-in for the list and watch endpoints of one resource path, enough to drive
 * client-node's informer through lists, pages, events, errors, 410 Gone and silent watches.
 */
export async function startFakeApiServer(path: string) {
  const objects = new Map<string, Json>();
  const watchers = new Set<ServerResponse>();
  const requests: { watch: boolean; query: URLSearchParams }[] = [];
  let resourceVersion = 100;
  let oldestWatchable = 0;
  let watchMode: WatchMode = 'serve';
  let failLists = 0;
  let answering = true;
  const sockets = new Set<import('node:net').Socket>();

  const send = (res: ServerResponse, type: string, object: Json) => res.write(`${JSON.stringify({ type, object })}\n`);
  const key = (o: Json) => `${o.metadata.namespace}/${o.metadata.name}`;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return void res.writeHead(404).end();
    const watch = url.searchParams.get('watch') === 'true';
    requests.push({ watch, query: url.searchParams });
    if (!answering) return; // accepted, read, and never answered: no status line, no headers
    if (!watch) {
      if (failLists > 0) {
        failLists--;
        return void res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"kind":"Status","code":500}');
      }
      const all = [...objects.values()];
      const limit = Number(url.searchParams.get('limit') ?? all.length) || all.length;
      const start = Number(url.searchParams.get('continue') ?? 0);
      const items = all.slice(start, start + limit);
      const metadata: Json = { resourceVersion: String(resourceVersion) };
      if (start + limit < all.length) metadata.continue = String(start + limit);
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata, items }));
    }
    if (watchMode === 'fail') return void res.writeHead(500).end();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    if (watchMode === 'hang') return; // connected, and then nothing, ever
    if (Number(url.searchParams.get('resourceVersion') ?? 0) < oldestWatchable) {
      send(res, 'ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' });
      return void res.end();
    }
    watchers.add(res);
    res.on('close', () => watchers.delete(res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    requests,
    /** false: accept every request and never answer it (an API server that hangs). */
    setAnswering(value: boolean) {
      answering = value;
    },
    /** TCP connections a client holds open to us now. */
    openConnections: () => sockets.size,
    /** Our API client, pointed at this server. */
    api(): KubeApi {
      const agent = new Agent({ keepAlive: true });
      return kubeApi({ server: `http://127.0.0.1:${port}`, prepare: async () => ({ agent, headers: {} }) });
    },
    /** Create or update; watchers see it unless `quietly` (as if they were disconnected). */
    put(object: Json, quietly = false) {
      const copy = structuredClone(object);
      copy.metadata.resourceVersion = String(++resourceVersion);
      const type = objects.has(key(copy)) ? 'MODIFIED' : 'ADDED';
      objects.set(key(copy), copy);
      if (!quietly) for (const res of watchers) send(res, type, copy);
    },
    remove(namespace: string, name: string, quietly = false) {
      const object = objects.get(`${namespace}/${name}`);
      if (!object) return;
      objects.delete(`${namespace}/${name}`);
      object.metadata.resourceVersion = String(++resourceVersion);
      if (!quietly) for (const res of watchers) send(res, 'DELETED', object);
    },
    /** Ends every open watch, as the API server does at its timeout. */
    endWatches() {
      for (const res of watchers) res.end();
    },
    /** Watches from before now answer 410 Gone (etcd compacted). */
    compact() {
      oldestWatchable = resourceVersion + 1;
    },
    setWatchMode(mode: WatchMode) {
      watchMode = mode;
    },
    failNextLists(count: number) {
      failLists = count;
    },
    watchCount: () => requests.filter((r) => r.watch).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `check` holds, failing with `what` after the deadline: no fixed sleeps. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A loopback API server that answers every list path from `lists` (empty when absent) and keeps
 * every watch open and quiet: enough to start the whole cluster view. Returns a kubeconfig file.
 */
export async function startListingApiServer(lists: Record<string, Json[]>, kubeconfigPath: string) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      return;
    }
    const items = lists[url.pathname] ?? [];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ metadata: { resourceVersion: '7' }, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await writeFile(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: {} }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    }),
  );
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
