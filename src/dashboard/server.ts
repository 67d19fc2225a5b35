import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessNotices } from './accessNotices.js';
import { credentialDetail, userDetail } from './detail.js';
import type { DashboardSource } from './liveView.js';
import { refusal, tokenCookie } from './requestGuard.js';
import { credentialRows } from './rows.js';

/** The page: plain HTML, CSS and one script, read once from beside this module (no build step, nothing external). */
const assets = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
} as const;
type AssetPath = keyof typeof assets;

function loadAssets(): Record<AssetPath, { body: Buffer; type: string }> {
  const dir = new URL('./page/', import.meta.url);
  const entries = Object.entries(assets).map(([path, { file, type }]) => [path, { body: readFileSync(new URL(file, dir)), type }]);
  return Object.fromEntries(entries) as Record<AssetPath, { body: Buffer; type: string }>;
}

// Same-origin only, no inline script, no framing; the token is in the URL, so never send a referrer.
const securityHeaders = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

export interface DashboardServerOptions {
  port: number;
  token: string;
  source: DashboardSource;
  /** What the page says it shows: a namespace, or every namespace. */
  namespace: string | undefined;
  /** Heartbeat of the event stream, so proxies and browsers keep it open. */
  heartbeatMs?: number;
}

export interface DashboardServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': type, ...extra });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/**
 * The dashboard's HTTP server, on 127.0.0.1 only: the page, a read-only JSON API over the model
 * (rows, details, notices; never a value), and `/api/events`, a server-sent event stream saying
 * "changed" whenever the watches saw something, so the page refetches without a reload.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const page = loadAssets();
  const streams = new Set<ServerResponse>();
  let port = options.port;
  let version = 0;

  const unsubscribe = options.source.subscribe(() => {
    version++;
    for (const stream of streams) stream.write(`event: changed\ndata: ${JSON.stringify({ version })}\n\n`);
  });

  function table(): unknown {
    const snapshot = options.source.snapshot();
    return {
      version,
      synced: options.source.synced(),
      namespace: options.namespace ?? null,
      generatedAt: snapshot.now.toISOString(),
      rows: credentialRows(snapshot),
      notices: [
        ...accessNotices(snapshot.denied),
        ...(snapshot.digestKeyNotice ? [{ namespace: snapshot.digestKeyNotice.namespace, resources: ['secrets'], text: snapshot.digestKeyNotice.text }] : []),
      ],
    };
  }

  function route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname;
    if (path in assets) {
      const asset = page[path as AssetPath];
      // The first load carries the token in the URL; the cookie lets the page's own requests carry it.
      const cookie: Record<string, string> = url.searchParams.get('token') ? { 'Set-Cookie': `${tokenCookie}=${options.token}; HttpOnly; SameSite=Strict; Path=/` } : {};
      send(res, 200, asset.type, asset.body, cookie);
      return;
    }
    if (path === '/api/credentials') return sendJson(res, 200, table());
    if (path === '/api/events') {
      res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(`event: hello\ndata: ${JSON.stringify({ version })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    const parts = path.split('/').slice(1).map((part) => decodeURIComponent(part));
    if (parts[0] === 'api' && parts[1] === 'credentials' && parts.length === 4) {
      const detail = credentialDetail(options.source.snapshot(), `${parts[2]}/${parts[3]}`);
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: `no credential ${parts[2]}/${parts[3]} is visible` });
    }
    if (parts[0] === 'api' && parts[1] === 'users' && parts.length === 5) {
      const id = `${parts[2]}/${parts[3]}/${parts[4]}`;
      const detail = userDetail(options.source.snapshot(), id);
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: `no user ${id} referencing credentials is visible` });
    }
    sendJson(res, 404, { error: `no such page: ${path}` });
  }

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return sendJson(res, 400, { error: 'malformed request URL' });
    }
    const refused = refusal({ host: req.headers.host, origin: req.headers.origin, url, cookie: req.headers.cookie }, port, options.token);
    if (refused) return sendJson(res, 403, { error: refused });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'the dashboard is read-only: GET only' });
    try {
      route(req, res, url);
    } catch {
      // A bad path segment (malformed %-escape) is the caller's; nothing else here throws.
      sendJson(res, 400, { error: 'malformed request path' });
    }
  });
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
