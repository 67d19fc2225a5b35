import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsEndpoints {
  registry: Registry;
  /** Why the server is not ready, or undefined when it is. */
  notReadyReason(): string | undefined;
}

/**
 * `/healthz`, `/readyz` and `/metrics` on their own plain-HTTP port: probes and scrapes stay off the
 * TLS port and its access log, and keep answering while the webhook port drains.
 */
export function createOpsServer(endpoints: OpsEndpoints): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const reason = endpoints.notReadyReason();
      res.writeHead(reason ? 503 : 200, { 'Content-Type': 'text/plain' }).end(reason ? `not ready: ${reason}\n` : 'ok\n');
    } else if (path === '/metrics') {
      endpoints.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': endpoints.registry.contentType }).end(text),
        () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics collection failed\n'),
      );
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
}
