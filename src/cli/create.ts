import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1Secret } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kubeApi.js';
import { resourcePath, secretResource } from '../kube/kindListers.js';
import { stringify } from 'yaml';
import { buildCredential, entriesFromJson, type CredentialDraft, type DraftEntry } from '../credentials/buildCredential.js';
import type { CredentialProblem } from '../credentials/credentialInfo.js';
import { credentialTypeNames } from '../credentials/registry.js';
import { clusterOptions, clusterTarget, clusterUsage, firstLine } from './clusterFlags.js';
import { program } from './programName.js';

const usage = `usage: ${program} create <type> <name> [--from-literal k=v] [--from-file [k=]path] [--from-json F]
         [--docker-server S --docker-username U --docker-password P] [--description D]
         [--scope cluster --namespace-selector SEL] [-o yaml|json] [--dry-run=client|server|none]

Builds a credential Secret (the type label, the Secret type its type needs, description, scope),
checks it with the webhook's rules (errors name keys, never values), then prints it (the default,
--dry-run=client) or applies it with server-side apply, field manager "credinject".

types: ${credentialTypeNames.join(', ')}

${clusterUsage}
  --from-literal k=v       a key and its value (repeatable). The value lands in your shell history
                           and in the process list: prefer --from-file or stdin
  --from-file [k=]path     a key from a file (repeatable); without k= the key is the file's name;
                           path - reads stdin (once)
  --from-json F            keys from a JSON object (F or - for stdin), as ML platforms export them:
                           {"access_key_id": ..., "secret_access_key": ...},
                           {"token": ..., "server": ..., "ca_certificate": ...}; a gcp service-account
                           key file becomes service-account.json
  --docker-server S, --docker-username U, --docker-password P, --docker-email E
                           the registry login of a docker-registry credential (.dockerconfigjson)
  --description D          shown by list and describe
  --scope namespace|cluster, --namespace-selector SEL
                           a cluster credential (in the injector's namespace) and where it is mirrored
  -o, --output F           yaml (default) or json
  --dry-run M              client (default): print only; server: the API server checks it (webhooks
                           included) and nothing is stored; none: apply

examples:
  ${program} create huggingface hf-token -n ml --from-file token=./hf-token.txt
  pass show s3/readonly | ${program} create aws s3-readonly --from-json - --dry-run=none
  ${program} create docker-registry ghcr --docker-server ghcr.io --docker-username bot \\
    --docker-password "$(cat ghcr.pat)" --dry-run=none
  ${program} create kubernetes prod-cluster --from-json cluster.json --scope cluster \\
    --namespace-selector team=ml -n credinject-system -o yaml > prod-cluster.yaml
`;

export interface CreateIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
  apply(api: KubeApi, secret: V1Secret, dryRun: boolean): Promise<V1Secret>;
}

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Server-side apply as field manager `credinject`; forced, as `kubectl apply --server-side --force-conflicts` would. */
async function serverSideApply(api: KubeApi, secret: V1Secret, dryRun: boolean): Promise<V1Secret> {
  return api.call<V1Secret>({
    method: 'PATCH',
    patch: 'apply',
    path: resourcePath(secretResource, secret.metadata?.namespace ?? 'default', secret.metadata?.name ?? ''),
    query: { fieldManager: 'credinject', force: true, ...(dryRun ? { dryRun: 'All' } : {}) },
    body: secret,
  });
}

const processIo: CreateIo = { stdout: process.stdout, stderr: process.stderr, readFile: (path) => readFile(path, 'utf8'), readStdin: stdinText, apply: serverSideApply };

const splitPair = (text: string): [string, string] | undefined => {
  const at = text.indexOf('=');
  return at <= 0 ? undefined : [text.slice(0, at), text.slice(at + 1)];
};

/** Reads every --from-* input; stdin once. Problems name flags and paths, never contents. */
async function readEntries(
  values: { 'from-literal'?: string[]; 'from-file'?: string[]; 'from-json'?: string[] },
  type: string,
  io: CreateIo,
): Promise<{ entries: DraftEntry[]; problems: CredentialProblem[] }> {
  const entries: DraftEntry[] = [];
  const problems: CredentialProblem[] = [];
  let stdinUsedBy: string | undefined;
  const read = async (path: string, flag: string): Promise<string | undefined> => {
    if (path === '-') {
      if (stdinUsedBy) return problems.push({ rule: 'stdin-twice', message: `${flag} and ${stdinUsedBy} both read stdin; only one can` }), undefined;
      stdinUsedBy = flag;
      return io.readStdin();
    }
    try {
      return await io.readFile(path);
    } catch (err) {
      problems.push({ rule: 'unreadable', message: `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      return undefined;
    }
  };
  for (const literal of values['from-literal'] ?? []) {
    const pair = splitPair(literal);
    if (!pair) problems.push({ rule: 'bad-flag', message: '--from-literal needs key=value' });
    else entries.push({ key: pair[0], value: pair[1], from: `--from-literal ${pair[0]}` });
  }
  for (const spec of values['from-file'] ?? []) {
    const [key, path] = splitPair(spec) ?? [basename(spec), spec];
    if (path === '-' && !splitPair(spec)) {
      problems.push({ rule: 'bad-flag', message: '--from-file - needs a key: --from-file token=-' });
      continue;
    }
    const text = await read(path, `--from-file ${key}`);
    if (text !== undefined) entries.push({ key, value: text, from: `--from-file ${key}` });
  }
  for (const path of values['from-json'] ?? []) {
    const text = await read(path, `--from-json ${path}`);
    if (text === undefined) continue;
    const parsed = entriesFromJson(text, type, path === '-' ? 'stdin' : path);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  return { entries, problems };
}

const options = {
  ...clusterOptions,
  'from-literal': { type: 'string', multiple: true },
  'from-file': { type: 'string', multiple: true },
  'from-json': { type: 'string', multiple: true },
  'docker-server': { type: 'string' },
  'docker-username': { type: 'string' },
  'docker-password': { type: 'string' },
  'docker-email': { type: 'string' },
  description: { type: 'string' },
  scope: { type: 'string' },
  'namespace-selector': { type: 'string' },
  output: { type: 'string', short: 'o', default: 'yaml' },
  'dry-run': { type: 'string', default: 'client' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: CreateIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    io.stderr.write(`credinject create: ${firstLine(err)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return io.stdout.write(usage), 0;
  const [type, name, ...extra] = positionals;
  if (type === undefined || name === undefined || extra.length > 0) return io.stderr.write(`credinject create: give a type and a name\n\n${usage}`), 2;
  if (!credentialTypeNames.includes(type)) return io.stderr.write(`credinject create: type must be one of ${credentialTypeNames.join(', ')}, not "${type}"\n`), 2;
  if (values.output !== 'yaml' && values.output !== 'json') return io.stderr.write(`credinject create: -o must be yaml or json, not "${values.output}"\n`), 2;
  const dryRun = values['dry-run'];
  if (!['client', 'server', 'none'].includes(dryRun)) return io.stderr.write(`credinject create: --dry-run must be client, server or none, not "${dryRun}"\n`), 2;

  let target;
  try {
    // Offline (client dry run) the namespace still comes from the kubeconfig when there is one.
    target = dryRun === 'client' && values.kubeconfig === undefined && values.context === undefined ? undefined : clusterTarget(values);
  } catch (err) {
    return io.stderr.write(`credinject create: ${firstLine(err)}\n`), 1;
  }
  const namespace = values.namespace ?? target?.namespace ?? 'default';
  const read = await readEntries(values, type, io);
  const docker = ['docker-server', 'docker-username', 'docker-password', 'docker-email'].some((flag) => values[flag as keyof typeof values] !== undefined)
    ? { server: values['docker-server'], username: values['docker-username'], password: values['docker-password'], email: values['docker-email'] }
    : undefined;
  const draft: CredentialDraft = {
    type,
    name,
    namespace,
    entries: read.entries,
    ...(values.description !== undefined ? { description: values.description } : {}),
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values['namespace-selector'] !== undefined ? { namespaceSelector: values['namespace-selector'] } : {}),
    ...(docker ? { docker: Object.fromEntries(Object.entries(docker).filter(([, v]) => v !== undefined)) } : {}),
  };
  const built = buildCredential(draft);
  const problems = [...read.problems, ...built.problems];
  if (problems.length > 0) {
    io.stderr.write(`credinject create: credential "${name}" (${type}) is invalid:\n`);
    for (const problem of problems) io.stderr.write(`  ${problem.key ?? '-'}: ${problem.message}\n`);
    return 1;
  }
  let result = built.secret;
  if (dryRun !== 'client') {
    try {
      result = await io.apply((target ?? clusterTarget(values)).api, built.secret, dryRun === 'server');
    } catch (err) {
      // The API server's answer (a webhook's denial) names keys, never values.
      io.stderr.write(`credinject create: ${firstLine(err)}\n`);
      return 1;
    }
    if (dryRun === 'none') {
      // kubectl's line for a server-side apply.
      io.stdout.write(`secret/${name} serverside-applied\n`);
      return 0;
    }
  }
  io.stdout.write(values.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : stringify(result));
  return 0;
}
