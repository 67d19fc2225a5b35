/**
 * Another mutating webhook, served from the test process on 127.0.0.1: it answers every Pod CREATE
 * with the JSON Patch that `mutate(pod)` returns, and records what it was sent. Used to see what
 * reinvocation does to our injection when a later webhook changes the Pod.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

import type { V1Pod } from '@kubernetes/client-node';

import { makeServingCertificate } from './credinjectServer.js';

export type JsonPatchOperation = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

export interface SecondWebhook {
  url: string;
  caPem: string;
  /** The Pods it was asked about, in order (dry runs included). */
  calls: V1Pod[];
  close(): Promise<void>;
}

export async function startSecondWebhook(mutate: (pod: V1Pod) => JsonPatchOperation[]): Promise<SecondWebhook> {
  const certificate = await makeServingCertificate();
  const calls: V1Pod[] = [];
  const server: Server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let review: { apiVersion: string; kind: string; request: { uid: string; object: V1Pod } };
      try {
        review = JSON.parse(body) as typeof review;
      } catch {
        res.writeHead(400).end('not JSON');
        return;
      }
      const pod = review.request.object;
      calls.push(structuredClone(pod));
      const patch = mutate(pod);
      const response: Record<string, unknown> = { uid: review.request.uid, allowed: true };
      if (patch.length > 0) {
        response.patchType = 'JSONPatch';
        response.patch = Buffer.from(JSON.stringify(patch)).toString('base64');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: review.kind, response }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: certificate.caPem,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
