import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MirrorMetrics } from '../mirror/metrics.js';
import type { CredentialExpiryPoint } from '../view/expiryPoints.js';
import type { RotationMetrics } from '../rotation/metrics.js';
import type { InformerHealth } from '../kube/informerHealth.js';

/** Outcome of one admission request, as counted. */
export type AdmissionResult = 'allowed' | 'patched' | 'denied' | 'invalid' | 'error';
export type WebhookName = 'mutate' | 'validate';

/** What the gauges read at scrape time, so nothing has to push sizes on every change. */
export interface MetricsSource {
  indexSizes(): { credentials: number; users: number; referencedCredentials: number };
  informerHealth(): Record<string, InformerHealth>;
  /** Credentials that carry an expiry (mirrors left out: their source is counted). */
  credentialExpiries?(): readonly CredentialExpiryPoint[];
}

export interface ServerMetrics extends MirrorMetrics, RotationMetrics {
  registry: Registry;
  observeRequest(webhook: WebhookName | 'unknown', operation: string, result: AdmissionResult, seconds: number): void;
  countInjection(credentialType: string): void;
  countInformerRestart(resource: string): void;
  countCertificateReload(result: 'ok' | 'rejected'): void;
}

/** A dedicated registry per server: tests start many servers in one process without clashes. */
export function createMetrics(source: MetricsSource): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'credinject_admission_requests_total',
    help: 'Admission requests by webhook, operation and result.',
    labelNames: ['webhook', 'operation', 'result'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'credinject_admission_duration_seconds',
    help: 'Time from a review being read to its answer being written.',
    labelNames: ['webhook'] as const,
    // The budget is the webhook timeout (seconds); decisions take well under a millisecond.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const injections = new Counter({
    name: 'credinject_injections_total',
    help: 'Credentials injected into Pods, by credential type (dry runs not counted).',
    labelNames: ['type'] as const,
    registers,
  });
  const restarts = new Counter({
    name: 'credinject_informer_restarts_total',
    help: 'Informer restarts after a watch error or a silent watch.',
    labelNames: ['resource'] as const,
    registers,
  });
  const reloads = new Counter({
    name: 'credinject_tls_reloads_total',
    help: 'Serving certificate reloads from disk, by result.',
    labelNames: ['result'] as const,
    registers,
  });
  const mirrorWrites = new Counter({
    name: 'credinject_mirror_writes_total',
    help: 'Writes of cluster-credential mirrors by operation and result (denied: a mirror in use was not deleted).',
    labelNames: ['operation', 'result'] as const,
    registers,
  });
  const mirrorConflicts = new Gauge({
    name: 'credinject_mirror_conflicts',
    help: 'Namespaces where a Secret that is not a mirror holds the name of a cluster credential (last reconcile).',
    registers,
  });
  const mirrorLeader = new Gauge({
    name: 'credinject_mirror_leader',
    help: '1 while this replica holds the mirroring Lease and writes mirrors.',
    registers,
  });
  new Gauge({
    name: 'credinject_index_size',
    help: 'Entries in the in-memory views: credentials, objects referencing Secrets (annotation or by hand), Secrets referenced.',
    labelNames: ['index'] as const,
    registers,
    collect() {
      const sizes = source.indexSizes();
      this.set({ index: 'credentials' }, sizes.credentials);
      this.set({ index: 'users' }, sizes.users);
      this.set({ index: 'referenced_credentials' }, sizes.referencedCredentials);
    },
  });
  const rotationRestarts = new Counter({
    name: 'credinject_rotation_restarts_total',
    help: 'Workloads restarted for a rotated credential key they take as env, by kind and result.',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const rotationHeld = new Counter({
    name: 'credinject_rotation_held_total',
    help: 'Rotations held because the new data breaks its type\'s rules (once per credential and data version).',
    registers,
  });
  const stalePods = new Gauge({
    name: 'credinject_stale_pods',
    help: 'Pods running an older version of a credential key they take as env (credinject.dev/versions), on the rotation leader.',
    labelNames: ['namespace', 'credential'] as const,
    registers,
  });
  const trackedCredentials = new Gauge({
    name: 'credinject_rotation_credentials',
    help: 'Credentials the rotation controller tracks, by state: settled, or quiet (changed within the quiet period; a rollout is pending).',
    labelNames: ['state'] as const,
    registers,
  });
  const staleSeries = new Set<string>();
  // One series per informer, read at scrape time from its health.
  const informerGauge = (name: string, help: string, value: (health: InformerHealth) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['resource'] as const,
      registers,
      collect() {
        this.reset(); // an informer without a value has no series, not a stale one
        for (const [resource, health] of Object.entries(source.informerHealth())) {
          const v = value(health);
          if (v !== undefined) this.set({ resource }, v);
        }
      },
    });
  informerGauge('credinject_informer_synced', '1 once the informer of a resource has listed it; the server is ready when all are 1 and current.', (h) => (h.synced ? 1 : 0));
  informerGauge(
    'credinject_informer_current',
    '1 while the informer of a resource is known good: listed and watching, its watch neither failed nor silent past --watch-silence-timeout.',
    (h) => (h.current ? 1 : 0),
  );
  informerGauge(
    'credinject_informer_last_event_age_seconds',
    'Seconds since the informer of a resource last heard from the API server (event, bookmark, list page or watch answer).',
    (h) => (h.lastEventAgeMs === undefined ? undefined : h.lastEventAgeMs / 1000),
  );
  new Gauge({
    name: 'credinject_credential_expiry_timestamp_seconds',
    help: 'When a credential expires (earliest certificate notAfter or token exp), in seconds since the epoch.',
    labelNames: ['namespace', 'name', 'type'] as const,
    registers,
    collect() {
      // Rebuilt at every scrape, so a deleted or renewed credential leaves no stale series.
      this.reset();
      for (const point of source.credentialExpiries?.() ?? []) {
        this.set({ namespace: point.namespace, name: point.name, type: point.type }, Date.parse(point.expiresAt) / 1000);
      }
    },
  });
  return {
    registry,
    observeRequest(webhook, operation, result, seconds) {
      requests.inc({ webhook, operation, result });
      latency.observe({ webhook }, seconds);
    },
    countInjection: (type) => injections.inc({ type }),
    countInformerRestart: (resource) => restarts.inc({ resource }),
    countCertificateReload: (result) => reloads.inc({ result }),
    countMirrorWrite: (operation, result) => mirrorWrites.inc({ operation, result }),
    setMirrorConflicts: (count) => mirrorConflicts.set(count),
    setMirrorLeader: (leading) => mirrorLeader.set(leading ? 1 : 0),
    countRotationRestart: (kind, result) => rotationRestarts.inc({ kind, result }),
    countRotationHeld: () => rotationHeld.inc(),
    setTrackedCredentials(settled, quiet) {
      trackedCredentials.set({ state: 'settled' }, settled);
      trackedCredentials.set({ state: 'quiet' }, quiet);
    },
    setStalePods(counts) {
      // A series that had stale pods stays, at 0, so "back to 0" is visible rather than a gap.
      const current = new Set<string>();
      for (const { namespace, credential, pods } of counts) {
        current.add(`${namespace}/${credential}`);
        stalePods.set({ namespace, credential }, pods);
      }
      for (const key of staleSeries) {
        if (current.has(key)) continue;
        const [namespace = '', credential = ''] = key.split('/');
        stalePods.set({ namespace, credential }, 0);
      }
      current.forEach((key) => staleSeries.add(key));
    },
  };
}
