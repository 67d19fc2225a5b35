// What loading @kubernetes/client-node costs a process, and what serve's cluster modules cost
// (dist/server/clusterParts.js, which no longer load it): RSS and heap after importing each, in a
// fresh node, against a node that imports nothing.
// Usage: node bench/clientNodeCost.mjs   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const probe = (specifier) => `
  ${specifier ? `await import(${JSON.stringify(specifier)});` : ''}
  await new Promise((resolve) => setTimeout(resolve, 300));
  global.gc(); global.gc();
  const m = process.memoryUsage();
  console.log(JSON.stringify({ rss: m.rss / 1e6, heap: m.heapUsed / 1e6 }));`;
const measure = (specifier) => JSON.parse(spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe(specifier)], { encoding: 'utf8' }).stdout);

const bare = measure();
const rows = [
  ['@kubernetes/client-node', '@kubernetes/client-node'],
  ['@kubernetes/client-node/dist/config.js (KubeConfig alone)', '@kubernetes/client-node/dist/config.js'],
  ['dist/server/clusterParts.js (what serve loads for a cluster)', fileURLToPath(new URL('../dist/server/clusterParts.js', import.meta.url))],
];
for (const [label, specifier] of rows) {
  const m = measure(specifier);
  console.log(`${label.padEnd(62)} RSS +${(m.rss - bare.rss).toFixed(0)} MB, heap +${(m.heap - bare.heap).toFixed(0)} MB`);
}
const all = measure('@kubernetes/client-node');
console.log(`client-node: loaded costs RSS +${(all.rss - bare.rss).toFixed(0)} MB, heap +${(all.heap - bare.heap).toFixed(0)} MB (bare node ${bare.rss.toFixed(0)} MB RSS)`);
