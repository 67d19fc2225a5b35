import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonPatch from 'fast-json-patch';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../fixtures/runCli.js';
import { startTestServer } from '../server/testServer.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// A List (as `kubectl get -o yaml` writes it) and a typed SecretList (as the API returns it), with
// Secrets that name no namespace: both readers must flatten both and place them in "default".
const credentialsYaml = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: hf, labels: {credinject.dev/type: huggingface}}
  stringData: {token: hf_marker}
---
apiVersion: v1
kind: SecretList
items:
- apiVersion: v1
  kind: Secret
  metadata: {name: db, labels: {credinject.dev/type: password}}
  stringData: {username: u, password: p}
`;

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'trainer', namespace: 'default', annotations: { 'credinject.dev/inject': 'hf, db' } },
  spec: { containers: [{ name: 'train', image: 'trainer:1' }] },
};

describe('one credentials file', () => {
  it('gives the same credentials to inject --credentials and serve --credentials-file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credinject-file-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'credentials.yaml');
    await writeFile(file, credentialsYaml);

    const cli = runCli(['inject', '-f', '-', '--credentials', file], JSON.stringify(pod));
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const offline = parseAllDocuments(cli.stdout)[0]!.toJS();

    const { httpsUrl, ca } = await startTestServer({ credentialsFile: file }, null);
    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u1',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespace: 'default',
        operation: 'CREATE',
        userInfo: { username: 'alice' },
        object: pod,
      },
    };
    const answer = await request(httpsUrl).post('/mutate').ca(ca).send(review).expect(200);
    expect(answer.body.response.allowed).toBe(true);
    const patch = JSON.parse(Buffer.from(answer.body.response.patch, 'base64').toString('utf8'));
    const admitted = jsonPatch.applyPatch(structuredClone(pod), patch, true, false).newDocument;

    expect(admitted).toEqual(offline);
    expect(offline.spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'USERNAME', 'PASSWORD']);
  });
});
