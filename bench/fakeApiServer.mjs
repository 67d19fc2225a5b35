// A stand-in kube-apiserver for the scale benchmark, in its own process so that serialising the
// cluster costs the measured process nothing: plain HTTP on 127.0.0.1, paginated lists
// (limit/continue) of the synthetic cluster for the resources credinject watches, and watches that
// are answered 200 and held open, silently (a quiet cluster). Anything else is 404.
// Usage: node bench/fakeApiServer.mjs <secrets> <users> [<hand-wired share>]; prints {"port":N}, stops on SIGTERM.
import { createServer } from 'node:http';
import { fakeApi } from './fakeApiResponses.mjs';
import { clusterShape, countOf, kinds, objectAt } from './syntheticCluster.mjs';

const shape = clusterShape(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 50_000), Number(process.argv[4] ?? 1 / 3));
const paths = new Map(
  Object.entries(kinds).map(([resource, [apiVersion]]) => [apiVersion === 'v1' ? `/api/v1/${resource}` : `/apis/${apiVersion}/${resource}`, resource]),
);
const api = fakeApi();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const resource = req.method === 'GET' ? paths.get(url.pathname) : undefined;
  if (!resource) return api.notFound(res);
  if (api.holdWatch(url, res)) return;
  const [apiVersion, kind] = kinds[resource];
  api.listPage(url, res, apiVersion, kind, countOf(shape, resource), (i) => objectAt(shape, resource, i));
});

api.serve(server);
