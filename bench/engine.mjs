// Engine micro-benchmark: plan time per Pod as containers (1→50) and credentials (1→50) grow.
// Floor, measured in the same run: JSON.parse of the same Pod's JSON, the least work any webhook
// must do per request. Prints a table and one closing line a script can read.
import { planAdmission } from '../dist/engine/planAdmission.js';
import { staticCredentials } from '../dist/credentials/staticCredentials.js';
import { defaultInjectionOptions } from '../dist/engine/options.js';
import { Writable } from 'node:stream';
import { auditRecord } from '../dist/server/auditRecord.js';
import { createAuditLogger, createLogger } from '../dist/server/logger.js';

const sizes = [1, 5, 10, 25, 50];

function credentialsOf(count) {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `cred-${i}`, namespace: 'bench', labels: { 'credinject.dev/type': 'generic' } },
    stringData: { [`TOKEN_${i}`]: 'x', [`URL_${i}`]: 'y' },
  }));
}

function podOf(containers, credentials) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'bench-', namespace: 'bench', annotations: { 'credinject.dev/inject': Array.from({ length: credentials }, (_, i) => `cred-${i}`).join(',') } },
    spec: {
      containers: Array.from({ length: containers }, (_, i) => ({
        name: `c${i}`,
        image: 'busybox',
        env: [{ name: 'EXISTING', value: '1' }],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      })),
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

/** Median time per call in microseconds over enough calls to fill ~budget ms. */
function measure(fn, budgetMs = 60) {
  const samples = [];
  const end = performance.now() + budgetMs;
  while (performance.now() < end || samples.length < 15) {
    const start = performance.now();
    fn();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const rows = [];
for (const containers of sizes) {
  for (const credentialCount of sizes) {
    const lookup = staticCredentials(credentialsOf(credentialCount), 'bench');
    const pod = podOf(containers, credentialCount);
    const json = JSON.stringify(pod);
    const input = { object: pod, namespace: 'bench', operation: 'CREATE' };
    const check = planAdmission(input, lookup, defaultInjectionOptions);
    if (check.denial) throw new Error(`bench pod denied: ${check.denial.message}`);
    measure(() => planAdmission(input, lookup, defaultInjectionOptions), 20); // warm up
    const plan = measure(() => planAdmission(input, lookup, defaultInjectionOptions));
    const floor = measure(() => JSON.parse(json));
    rows.push({ containers, credentials: credentialCount, planUs: plan, floorUs: floor, ratio: plan / floor, ops: check.patch.length });
  }
}

console.log('containers  credentials  patch-ops   plan µs   floor µs   plan/floor');
for (const r of rows) {
  console.log(`${String(r.containers).padStart(10)}  ${String(r.credentials).padStart(11)}  ${String(r.ops).padStart(9)}  ${r.planUs.toFixed(1).padStart(8)}  ${r.floorUs.toFixed(1).padStart(9)}  ${r.ratio.toFixed(1).padStart(10)}`);
}
// The audit line (one per decision, at info): building the record and pino's serialisation into a
// sink that drops it, through the audit logger (no redaction paths: what serve does) and through
// the redacting server logger (what it did before), so its cost per request is known.
const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const auditRequest = {
  uid: '705ab4f5-6', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' },
  namespace: 'bench', operation: 'CREATE', userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
  object: podOf(5, 5),
};
const auditDecision = { patch: [{}, {}, {}], warnings: [], injected: Array.from({ length: 5 }, (_, i) => ({ name: `cred-${i}`, type: 'generic' })) };
const redacting = createLogger('info', sink());
const plain = createAuditLogger('info', sink());
const auditLine = (logger) => () => logger.info(auditRecord('mutate', auditRequest, auditDecision, 'patched', 0.0004), 'admission');
for (const logger of [redacting, plain]) measure(auditLine(logger), 20); // warm up
const auditUs = measure(auditLine(plain), 100);
const auditRedactedUs = measure(auditLine(redacting), 100);
const recordUs = measure(() => auditRecord('mutate', auditRequest, auditDecision, 'patched', 0.0004), 50);
console.log(`audit line: ${auditUs.toFixed(1)} µs (record ${recordUs.toFixed(1)} µs; ${auditRedactedUs.toFixed(1)} µs through the redacting logger)`);

const typical = rows.find((r) => r.containers === 5 && r.credentials === 5);
const worst = rows.at(-1);
console.log(`engine: plan ${typical.planUs.toFixed(0)} µs = ${typical.ratio.toFixed(1)} x floor (5 containers, 5 credentials); ${worst.planUs.toFixed(0)} µs = ${worst.ratio.toFixed(1)} x floor (50 x 50); audit line ${auditUs.toFixed(1)} µs`);
