// Reading a V8 .cpuprofile (node --cpu-prof): top self-time functions, self time by package or
// credinject directory, and inclusive time of the webhook pipeline's stages.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './benchUtil.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Where a frame belongs: an npm package, a credinject source directory, a Node internal module, or a V8 bucket. */
function areaOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/([^/]+)\//.exec(url);
  if (own) return `credinject/${own[1]}`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/').slice(0, 2).join('/');
  return url;
}

const shortUrl = (url) => (url.startsWith('file://') ? relative(repo, fileURLToPath(url)) : url);

/** Stage functions whose inclusive time tells what a request costs, by name as they appear in dist/. */
const stages = [
  ['jsonParser', 'body-parser JSON (read + JSON.parse)'],
  ['readJsonBody', 'body read + JSON.parse (without express)'],
  ['parseReview', 'zod parse of the AdmissionReview'],
  ['planAdmission', 'engine: plan + patch'],
  ['reviewResponse', 'response object (patch JSON + base64)'],
  ['json', 'res.json (serialise + send)'],
  ['sendJson', 'serialise + send'],
  ['child', 'pino child logger'],
  ['LOG', 'pino log call'],
  ['observeRequest', 'prom-client metrics'],
  ['afterAllowed', 'injection counters'],
];

export function analyse(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const areas = new Map();
  const inclusive = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000; // ms
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + dt);
    const seen = new Set();
    for (let cursor = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const name = byId.get(cursor).callFrame.functionName;
      if (!seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  });
  const pct = (ms) => `${fmt((100 * ms) / total, 1).padStart(5)} %`;
  const lines = [`busy ${fmt(total / 1000)} s of CPU samples (idle ${fmt(idle / 1000)} s)`, `top ${top} self time:`];
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(ms)}  ${key}`);
  lines.push('self time by area:');
  for (const [area, ms] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 18)) lines.push(`  ${pct(ms)}  ${area}`);
  lines.push('inclusive time of request stages (a stage includes what it calls):');
  for (const [name, label] of stages) if (inclusive.has(name)) lines.push(`  ${pct(inclusive.get(name))}  ${name}  ${label}`);
  return lines.join('\n');
}

