import { parseArgs } from 'node:util';
import type { KubernetesListObject, V1Namespace, V1Secret } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from '../kube/kubeApi.js';
import { namespaceResource, resourcePath, secretResource } from '../kube/kindListers.js';
import { stringify } from 'yaml';
import { keys } from '../contract/keys.js';
import { describeCredential } from '../credentials/describeCredential.js';
import { keyDigests } from '../credentials/keyDigests.js';
import { mirrorCopies } from '../mirror/mirrorCopies.js';
import { listUserObjects } from '../view/clusterSnapshot.js';
import { credentialDetail, credentialUsers, type CredentialDetail, type Injection, type MirrorCopy, type UserObject } from '../view/credentialDetail.js';
import { ageOf } from '../contract/humanDuration.js';
import { defaultDigestKeySecret, parseDigestKeyRef, readDigestKey, type DigestKeyAccess, type DigestKeyRef } from '../view/digestKeyAccess.js';
import { credentialStaleness, stalenessText } from '../view/staleness.js';
import { versionedSource, versionedUser } from '../view/versionedUsers.js';
import { clusterOptions, clusterTarget, clusterUsage, firstLine } from './clusterFlags.js';
import { program } from './programName.js';

const usage = `usage: ${program} describe <credential> [-n NS] [-o text|json|yaml]

Shows one credential: type, scope, status and expiry, description, key names (never values), what
it injects, its mirrors (a cluster credential: which namespaces have an up-to-date copy, which are
pending), and every Pod and workload that uses it, with how (env, files, rendered, pull secret,
or a direct reference) and whether it runs the current version: current, stale (an older version
of a key it takes as env, naming the keys), refreshing (files and rendered output refresh in
place) or unknown.

${clusterUsage}
  -o, --output F           text (default), json or yaml
  --digest-key-secret S    [namespace/]name of the digest key Secret, read with your RBAC
                           (default ${defaultDigestKeySecret})

examples:
  ${program} describe aws-s3 -n ml
  kubectl credinject describe hf-token -n credinject-system -o yaml
`;

/** What describe reads from the cluster; tests replace it. */
export interface ClusterReads {
  secret(namespace: string, name: string): Promise<V1Secret | undefined>;
  users(namespace: string): Promise<UserObject[]>;
  namespaces(): Promise<{ name: string; labels?: Record<string, string> }[]>;
  sameName(name: string): Promise<{ namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> }[]>;
  /** The shared digest key, or the notice saying why it could not be read. */
  digestKey(ref: DigestKeyRef): Promise<DigestKeyAccess>;
}

function apiReads(api: KubeApi): ClusterReads {
  const get = <T>(path: string, query?: Record<string, string>) => api.call<T>({ method: 'GET', path, ...(query ? { query } : {}) });
  return {
    digestKey: (ref) => readDigestKey(api, ref),
    async secret(namespace, name) {
      try {
        return await get<V1Secret>(resourcePath(secretResource, namespace, name));
      } catch (err) {
        if (apiStatus(err) === 404) return undefined;
        throw err;
      }
    },
    users: (namespace) => listUserObjects(api, namespace),
    namespaces: async () => (await get<KubernetesListObject<V1Namespace>>(resourcePath(namespaceResource))).items.map((ns) => ({ name: ns.metadata?.name ?? '', ...(ns.metadata?.labels ? { labels: ns.metadata.labels } : {}) })),
    sameName: async (name) =>
      (await get<KubernetesListObject<V1Secret>>(resourcePath(secretResource), { fieldSelector: `metadata.name=${name}` })).items.map((s) => ({
        namespace: s.metadata?.namespace ?? '',
        ...(s.metadata?.labels ? { labels: s.metadata.labels } : {}),
        ...(s.metadata?.annotations ? { annotations: s.metadata.annotations } : {}),
        ...(s.data ? { data: s.data } : {}),
      })),
  };
}

export interface DescribeIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
  reads(api: KubeApi): ClusterReads;
}

const processIo: DescribeIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date(), reads: apiReads };

/**
 * The detail of one credential, read from the cluster; the Secret's values are read for the mirror
 * hash and the keyed digests (with the digest key) and dropped.
 */
export async function readDetail(
  reads: ClusterReads,
  namespace: string,
  name: string,
  now: Date,
  digestKeyRef: DigestKeyRef = parseDigestKeyRef(defaultDigestKeySecret) as DigestKeyRef,
): Promise<CredentialDetail | { error: string }> {
  const secret = await reads.secret(namespace, name);
  if (!secret) return { error: `credential "${name}" not found in namespace "${namespace}"` };
  if (secret.metadata?.labels?.[keys.typeLabel] === undefined) {
    return { error: `Secret "${name}" in namespace "${namespace}" is not a credential: it has no label ${keys.typeLabel}` };
  }
  const credential = describeCredential(secret);
  const [objects, access] = await Promise.all([reads.users(namespace), reads.digestKey(digestKeyRef)]);
  if ('key' in access) credential.digests = keyDigests(secret, access.key);
  const users = credentialUsers(credential, objects);
  const lookup = { get: (ns: string, n: string) => (ns === namespace && n === name ? credential : undefined) };
  const standing = credentialStaleness(credential, objects.map(({ kind, object }) => versionedUser(versionedSource(object, kind), lookup)));
  const notice = 'notice' in access && standing.users.some((user) => user.reason === 'no-digest-key') ? access.notice : undefined;
  const staleness = { ...standing, ...(notice ? { notice } : {}) };
  let mirrors: MirrorCopy[] | undefined;
  const isSource = credential.labels[keys.scopeLabel] === 'cluster' && credential.labels[keys.mirrorLabel] === undefined;
  if (isSource) {
    const [namespaces, sameName] = await Promise.all([reads.namespaces(), reads.sameName(name)]);
    const selector = credential.annotations[keys.namespaceSelector] ?? '';
    mirrors = mirrorCopies({ source: { namespace, name, selector, ...(secret.data ? { data: secret.data } : {}) }, namespaces, sameName });
  }
  return credentialDetail({ credential, users, ...(mirrors ? { mirrors } : {}), staleness, now });
}

function injectionLines(injection: Injection, indent: string): string[] {
  const lines: string[] = [];
  if (injection.env.length > 0) lines.push(`${indent}Env:          ${injection.env.join(', ')}`);
  if (injection.files.length > 0) lines.push(`${indent}Files:        ${injection.mountPath}/ ${injection.files.map((f) => `${f.key} (${f.mode})`).join(', ')}`);
  if (injection.rendered.length > 0) lines.push(`${indent}Rendered:     ${injection.mountPath}/ ${injection.rendered.map((r) => `${r.file} (${r.format})`).join(', ')}`);
  if (injection.pullSecret) lines.push(`${indent}Pull secret:  imagePullSecrets`);
  return lines.length > 0 ? lines : [`${indent}<nothing>`];
}

/** kubectl describe's layout: aligned fields, nested sections indented. */
export function formatDetail(detail: CredentialDetail, now: Date): string {
  const field = (label: string, value: string) => `${`${label}:`.padEnd(14)}${value}`;
  const lines = [
    field('Name', detail.name),
    field('Namespace', detail.namespace),
    field('Type', detail.type),
    field('Scope', detail.scope),
    field('Status', detail.status),
    ...detail.problems.slice(1).map((p) => `${' '.repeat(14)}${p.message}`),
    field('Expires', detail.expiresAt ? `${detail.expiresAt} (${detail.expiry ?? ''}, key "${detail.expiryKey}")`.replace('(, ', '(') : '<none>'),
    field('Description', detail.description ?? '<none>'),
    field('Created', detail.createdAt ? `${detail.createdAt} (${ageOf(detail.createdAt, now)} ago)${detail.createdBy ? ` by ${detail.createdBy}` : ''}` : '<unknown>'),
    field('Keys', detail.keys.join(', ') || '<none>'),
    'Injects:',
    ...(detail.injects ? injectionLines(detail.injects, '  ') : ['  <nothing: the credential is invalid>']),
  ];
  if (detail.mirrors) {
    const counts = (state: string) => detail.mirrors!.copies.filter((c) => c.state === state).length;
    lines.push(`Mirrors:      selector "${detail.mirrors.selector}": ${counts('up to date')} up to date, ${counts('pending')} pending, ${counts('outdated')} outdated, ${counts('conflict')} conflict`);
    for (const copy of detail.mirrors.copies) lines.push(`  ${copy.namespace.padEnd(28)}${copy.state}`);
  }
  lines.push(`Users:        ${detail.users.length}`);
  if (detail.stale !== undefined) lines.push(field('Stale', detail.stale === null ? '? (see the users)' : `${detail.stale} of ${detail.users.length}`));
  for (const user of detail.users) {
    lines.push(`  ${`${user.kind}/${user.name}`.padEnd(40)}${user.how.join(', ') || '<nothing: its annotations are refused>'}`);
    if (user.injection && user.how.length > 0) lines.push(...injectionLines(user.injection, '    '));
    if (user.version) lines.push(`    Version:      ${stalenessText({ kind: user.kind, name: user.name, ...user.version })}`);
  }
  if (detail.stalenessNotice) lines.push(`Notice:       ${detail.stalenessNotice}`);
  lines.push('', `Consumption: ${detail.consumptionSource}.`);
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[], io: DescribeIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...clusterOptions, output: { type: 'string', short: 'o', default: 'text' }, 'digest-key-secret': { type: 'string', default: defaultDigestKeySecret }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.stderr.write(`credinject describe: ${firstLine(err)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return io.stdout.write(usage), 0;
  if (positionals.length !== 1) return io.stderr.write(`credinject describe: name one credential\n\n${usage}`), 2;
  if (!['text', 'json', 'yaml'].includes(values.output)) return io.stderr.write(`credinject describe: -o must be text, json or yaml, not "${values.output}"\n`), 2;
  const digestKeyRef = parseDigestKeyRef(values['digest-key-secret']);
  if ('error' in digestKeyRef) return io.stderr.write(`credinject describe: ${digestKeyRef.error}\n`), 2;
  const now = io.now();
  let detail: CredentialDetail | { error: string };
  try {
    const target = clusterTarget(values);
    detail = await readDetail(io.reads(target.api), target.namespace, positionals[0]!, now, digestKeyRef);
  } catch (err) {
    io.stderr.write(`credinject describe: ${firstLine(err)}\n`);
    return 1;
  }
  if ('error' in detail) return io.stderr.write(`credinject describe: ${detail.error}\n`), 1;
  io.stdout.write(values.output === 'json' ? `${JSON.stringify(detail, null, 2)}\n` : values.output === 'yaml' ? stringify(detail) : formatDetail(detail, now));
  return 0;
}
