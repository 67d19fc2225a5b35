// A stand-in kube-apiserver for the scale benchmark, in its own process so that serialising the
// cluster costs the measured process nothing: plain HTTP on 127.0.0.1, paginated lists
// (limit/continue) of the synthetic cluster for the resources credinject watches, and watches that
// are answered 200 and held open, silently (a quiet cluster). Anything else is 404.
// Usage: node bench/fakeApiServer.mjs <secrets> <users> [<hand-wired share>]; prints {"port":N}, stops on SIGTERM.
import { createServer } from 'node:http';
import { clusterShape, countOf, kinds, objectAt } from './syntheticCluster.mjs';

const shape = clusterShape(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 50_000), Number(process.argv[4] ?? 1 / 3));
const paths = new Map(
  Object.entries(kinds).map(([resource, [apiVersion]]) => [apiVersion === 'v1' ? `/api/v1/${resource}` : `/apis/${apiVersion}/${resource}`, resource]),
);
const watches = new Set();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const resource = req.method === 'GET' ? paths.get(url.pathname) : undefined;
  if (!resource) {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}');
    return;
  }
  if (url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    watches.add(res);
    res.on('close', () => watches.delete(res));
    return;
  }
  const total = countOf(shape, resource);
  const limit = Math.max(1, Number(url.searchParams.get('limit') ?? total));
  const from = Number(url.searchParams.get('continue') ?? 0);
  const to = Math.min(total, from + limit);
  const items = [];
  for (let i = from; i < to; i++) items.push(objectAt(shape, resource, i));
  const [apiVersion, kind] = kinds[resource];
  const body = JSON.stringify({ apiVersion, kind: `${kind}List`, metadata: { resourceVersion: '5000', ...(to < total ? { continue: String(to) } : {}) }, items });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.once('SIGTERM', () => {
  for (const res of watches) res.destroy();
  server.close();
  server.closeAllConnections();
});
