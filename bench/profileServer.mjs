// Profiles `credinject serve` under saturation load: runs it with `node --cpu-prof`, drives POST /mutate
// with the admission benchmark's review for a few seconds, stops it gracefully (the profile is
// written at exit) and prints where the CPU went: top self-time functions, time by package/area,
// and the inclusive time of the request pipeline's stages.
// Run `npm run build` first. Usage: node bench/profileServer.mjs [--seconds S] [--keep DIR] [--main PATH]
//   --main: another build's dist/cli/main.js, e.g. of a scratch copy with a change to try
//   node bench/profileServer.mjs --analyse FILE.cpuprofile   (only print the analysis of a profile)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { review } from './admissionReview.mjs';
import { fmt, machineDescription } from './benchUtil.mjs';
import { analyse } from './cpuProfile.mjs';
import { prepareFiles, startCredinject, verifyMutate } from './servers.mjs';

const { values: cli } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, keep: { type: 'string' }, main: { type: 'string' }, analyse: { type: 'string' }, top: { type: 'string', default: '25' } },
});

async function profileUnderLoad(seconds, keep) {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'credinject-profile-'));
  mkdirSync(dir, { recursive: true });
  const profileDir = join(dir, 'profile');
  const files = await prepareFiles(dir);
  const body = JSON.stringify(review());
  const server = await startCredinject(files, dir, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], ...(cli.main ? { main: cli.main } : {}) });
  let requests = 0;
  try {
    console.log(`machine: ${machineDescription()}`);
    console.log(`credinject answers ${(await verifyMutate(server.port, body, files.ca)).description}`);
    const result = await autocannon({
      url: `https://127.0.0.1:${server.port}/mutate`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: 10,
      duration: seconds,
    });
    requests = result.requests.total;
    console.log(`${requests} requests in ${seconds} s (${fmt(requests / seconds, 0)} req/s), ${result.errors + result.non2xx} errors`);
  } finally {
    await server.stop();
  }
  const [name] = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error('no profile written (did the server exit gracefully?)');
  console.log(analyse(JSON.parse(readFileSync(join(profileDir, name), 'utf8')), Number(cli.top)));
  if (keep) console.log(`profile kept in ${join(profileDir, name)}`);
  else rmSync(dir, { recursive: true, force: true });
}

if (cli.analyse) console.log(analyse(JSON.parse(readFileSync(cli.analyse, 'utf8')), Number(cli.top)));
else await profileUnderLoad(Math.max(1, Math.min(30, Number(cli.seconds))), cli.keep);
