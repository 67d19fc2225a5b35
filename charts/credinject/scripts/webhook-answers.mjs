// `helm test` for credinject (templates/tests/webhook-answers.yaml runs it in the server image).
// It asks the API server for a dry-run create of a credential Secret that breaks its type's rules
// (type aws without its keys) in the release namespace, where the Secrets webhook listens. It passes
// only when the API server answers with credinject's denial: that proves the webhook configuration
// is registered, its caBundle is trusted, the Service (or URL) reaches a ready replica, and the
// server decides. Nothing is stored (dryRun=All). Plain Node, no dependencies.
//
// Environment (the defaults are what a pod has):
//   KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT   the API server
//   SERVICEACCOUNT_DIR   token, ca.crt and namespace (/var/run/secrets/kubernetes.io/serviceaccount)
//   TEST_NAMESPACE       where to dry-run the Secret (default: the pod's namespace)
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const WEBHOOK = 'secrets.validate.credinject.dev';
const saDir = process.env.SERVICEACCOUNT_DIR || '/var/run/secrets/kubernetes.io/serviceaccount';
const host = process.env.KUBERNETES_SERVICE_HOST;
const port = Number(process.env.KUBERNETES_SERVICE_PORT || 443);

function fail(message) {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

if (!host) fail('KUBERNETES_SERVICE_HOST is not set: run this in a pod (helm test)');
const read = (name) => readFileSync(`${saDir}/${name}`, 'utf8').trim();
const namespace = process.env.TEST_NAMESPACE || read('namespace');
const body = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { generateName: 'credinject-helm-test-', labels: { 'credinject.dev/type': 'aws' } },
  type: 'Opaque',
  data: {},
});

const answer = await new Promise((resolve, reject) => {
  const req = request(
    {
      host,
      port,
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets?dryRun=All`,
      ca: read('ca.crt'),
      headers: { Authorization: `Bearer ${read('token')}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      timeout: 30_000,
    },
    (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    },
  );
  req.on('timeout', () => req.destroy(new Error('no answer from the API server within 30 s')));
  req.on('error', reject);
  req.end(body);
}).catch((err) => fail(`cannot reach the API server at ${host}:${port}: ${err.message}`));

let status;
try {
  status = JSON.parse(answer.text);
} catch {
  fail(`the API server answered HTTP ${answer.status} with a body that is not JSON`);
}
const message = typeof status.message === 'string' ? status.message : '';
if (answer.status === 201 || answer.status === 200) {
  fail(`the API server accepted an invalid credential: ${WEBHOOK} did not see the request (is the ValidatingWebhookConfiguration installed, and does its namespaceSelector include ${namespace}?)`);
}
if (message.includes(`admission webhook "${WEBHOOK}" denied the request`)) {
  process.stdout.write(`ok: ${WEBHOOK} answered: ${message}\n`);
  process.exit(0);
}
if (message.includes(`failed calling webhook "${WEBHOOK}"`)) {
  fail(`the API server cannot call the webhook: ${message}`);
}
fail(`unexpected answer, HTTP ${answer.status}: ${message || answer.text.slice(0, 500)}`);
