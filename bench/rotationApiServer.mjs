// A stand-in kube-apiserver for bench/rotation.mjs, in its own process so that serving the cluster
// costs the measured process nothing: N Deployments in namespace `ml`, each with one ReplicaSet and
// one Pod that takes aws-s3's keys as env and records the version of the "old" data; watches held
// open silently; PATCH of a Deployment is answered 200 and its arrival time kept. GET /stats gives
// the patch times (ms since this process started, performance.now()).
// Usage: node bench/rotationApiServer.mjs <deployments> <old version>; prints {"port":N}, stops on SIGTERM.
import { createServer } from 'node:http';
import { fakeApi } from './fakeApiResponses.mjs';

const count = Number(process.argv[2] ?? 1000);
const version = process.argv[3] ?? '';
const ns = 'ml';
const env = [
  { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'access_key_id' } } },
  { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'aws-s3', key: 'secret_access_key' } } },
];
const owner = (kind, name) => [{ apiVersion: 'apps/v1', kind, name, uid: `${kind}-${name}`, controller: true }];
const objects = {
  '/apis/apps/v1/deployments': ['apps/v1', 'Deployment', (i) => ({ metadata: { name: `api-${i}`, namespace: ns, uid: `d${i}`, resourceVersion: '1' }, spec: { template: { metadata: { annotations: { 'credinject.dev/inject': 'aws-s3' } }, spec: { containers: [{ name: 'app' }] } } } })],
  '/apis/apps/v1/replicasets': ['apps/v1', 'ReplicaSet', (i) => ({ metadata: { name: `api-${i}-rs`, namespace: ns, resourceVersion: '1', ownerReferences: owner('Deployment', `api-${i}`) } })],
  '/api/v1/pods': ['v1', 'Pod', (i) => ({ metadata: { name: `api-${i}-rs-x`, namespace: ns, resourceVersion: '1', ownerReferences: owner('ReplicaSet', `api-${i}-rs`), annotations: { 'credinject.dev/versions': `aws-s3=${version}` } }, spec: { containers: [{ name: 'app', env }] } })],
  '/apis/apps/v1/statefulsets': ['apps/v1', 'StatefulSet', null],
  '/apis/apps/v1/daemonsets': ['apps/v1', 'DaemonSet', null],
};
const patches = [];
const api = fakeApi();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ patches, now: performance.now() }));
    return;
  }
  if (req.method === 'PATCH' && /^\/apis\/apps\/v1\/namespaces\/ml\/deployments\/[^/]+$/.test(url.pathname)) {
    req.resume();
    req.on('end', () => {
      patches.push(performance.now());
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{}}');
    });
    return;
  }
  const entry = req.method === 'GET' ? objects[url.pathname] : undefined;
  if (!entry) return api.notFound(res);
  if (api.holdWatch(url, res)) return;
  const [apiVersion, kind, make] = entry;
  api.listPage(url, res, apiVersion, kind, make ? count : 0, make);
});

api.serve(server);
