import { parseArgs } from 'node:util';
import type { KubeApi } from '../kube/kubeApi.js';
import { stringify } from 'yaml';
import type { UsageIndex } from '../admission/store.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { ageOf } from '../contract/humanDuration.js';
import { keys } from '../contract/keys.js';
import { expiryStatus } from '../credentials/expiry.js';
import { credentialTypeNames } from '../credentials/registry.js';
import { parseLabelSelector } from '../credentials/labelSelector.js';
import type { CredentialLookup } from '../credentials/credentialInfo.js';
import { listCredentials, type CredentialListing } from '../view/clusterSnapshot.js';
import { defaultDigestKeySecret, parseDigestKeyRef, readDigestKey, type DigestKeyAccess, type DigestKeyRef } from '../view/digestKeyAccess.js';
import { credentialStaleness, type UserStaleness, type VersionedUser } from '../view/staleness.js';
import { versionedUser } from '../view/versionedUsers.js';
import { clusterOptions, clusterTarget, clusterUsage, firstLine } from './clusterFlags.js';
import { program } from './programName.js';

export const outputFormats = ['table', 'wide', 'json', 'yaml', 'name'] as const;
type OutputFormat = (typeof outputFormats)[number];

const usage = `usage: ${program} list [-n NS | -A] [-o table|wide|json|yaml|name] [-l SELECTOR] [--type T]

Lists credential Secrets with their status (valid, the first problem, expires in 5d, expired),
how many Pods and workloads use them, and how many of those are STALE: they run an older version
of a key they take as env (only a restart brings the new data; files and rendered output refresh
in place). STALE is "?" when it cannot be told: the digest key Secret is not readable, or a user
has no credinject.dev/versions; -o json and yaml give every user's standing.

${clusterUsage}
  -A, --all-namespaces     every namespace
  -o, --output F           table (default), wide (adds DESCRIPTION, CREATED BY, KEYS), json, yaml,
                           or name (secret/<name>, for xargs and kubectl)
  -l, --selector S         only Secrets with these labels (kubectl syntax: team=ml,env!=dev)
  --type T                 only credentials of this type (${credentialTypeNames.join(', ')})
  --digest-key-secret S    [namespace/]name of the digest key Secret, read with your RBAC
                           (default ${defaultDigestKeySecret})

examples:
  ${program} list                          # the current namespace
  ${program} list -A -o wide               # every namespace, with who created each
  ${program} list -n ml --type aws -l team=vision
  kubectl credinject list -o name | xargs -n1 ${program} describe
`;

export interface CredentialRow {
  name: string;
  namespace: string;
  type: string;
  scope: string;
  /** `valid`, the first validation problem, `expired` or `expires in 5d`. */
  status: string;
  problems: string[];
  inUse: number;
  usedBy: string[];
  createdAt: string | undefined;
  /** The earliest certificate notAfter or token exp, when the data carries one. */
  expiresAt: string | undefined;
  description: string | undefined;
  /** Field manager of the first write (managedFields), e.g. `kubectl-create`, `credinject`. */
  createdBy: string | undefined;
  keys: string[];
  /** Users running an older version of a key they take as env; null when none is but some cannot be told. */
  stale: number | null;
  /** Every user's standing (current, stale with the changed keys, refreshing, unknown); key names only. */
  staleness: UserStaleness[];
}

/** `cluster`/`namespace` from the label; a mirror says whose copy it is, so users know where to edit. */
export function scopeOf(info: CredentialInfo): string {
  const source = info.annotations[keys.mirroredFrom];
  return source ? `mirror of ${source}` : (info.labels[keys.scopeLabel] ?? 'namespace');
}

/** A broken credential says what to fix first; a valid one how long it has left, when that is soon. */
export function credentialStatus(info: CredentialInfo, now: Date): string {
  return info.problems[0]?.message ?? expiryStatus(info.expiresAt, now) ?? 'valid';
}

/** The listed credentials as a lookup, for how each user consumes them. */
function lookupOf(credentials: readonly CredentialInfo[]): CredentialLookup {
  const byId = new Map(credentials.map((info) => [`${info.namespace}/${info.name}`, info]));
  return { get: (namespace, name) => byId.get(`${namespace}/${name}`) };
}

/** The Pods and workloads as staleness reads them, against the listed credentials. */
export function versionedUsers(listing: Pick<CredentialListing, 'credentials' | 'versioned'>): VersionedUser[] {
  const lookup = lookupOf(listing.credentials);
  return listing.versioned.map((source) => versionedUser(source, lookup));
}

export function credentialRows(credentials: CredentialInfo[], usage: UsageIndex, now: Date = new Date(), versioned: readonly VersionedUser[] = []): CredentialRow[] {
  return credentials
    .map((info) => {
      const users = usage.usersOf(info.namespace, info.name);
      const staleness = credentialStaleness(info, versioned);
      return {
        name: info.name,
        namespace: info.namespace,
        type: info.type,
        scope: scopeOf(info),
        status: credentialStatus(info, now),
        problems: info.problems.map((p) => p.message),
        inUse: users.total,
        usedBy: users.users,
        createdAt: info.createdAt,
        expiresAt: info.expiresAt,
        description: info.annotations[keys.description],
        createdBy: info.createdBy,
        keys: info.keys,
        stale: staleness.stale,
        staleness: staleness.users,
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** Like kubectl: columns padded to the widest cell plus three spaces, the last one unpadded. */
export function alignColumns(header: string[], cells: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('');
  return [header, ...cells].map(line).join('\n') + '\n';
}

/** kubectl prints `<none>` for an empty cell; descriptions are cut to one short line. */
const cell = (text: string | undefined, max = 40): string => {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  if (line === '') return '<none>';
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
};

export function formatTable(rows: CredentialRow[], now: Date, wide = false): string {
  const header = ['NAME', 'NAMESPACE', 'TYPE', 'SCOPE', 'STATUS', 'IN-USE', 'STALE', 'AGE', ...(wide ? ['DESCRIPTION', 'CREATED BY', 'KEYS'] : [])];
  const cells = rows.map((r) => [
    r.name,
    r.namespace,
    r.type,
    r.scope,
    r.status,
    String(r.inUse),
    r.stale === null ? '?' : String(r.stale),
    ageOf(r.createdAt, now),
    ...(wide ? [cell(r.description), cell(r.createdBy), cell(r.keys.join(','), 60)] : []),
  ]);
  return alignColumns(header, cells);
}

function formatRows(rows: CredentialRow[], format: OutputFormat, now: Date): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'yaml':
      return stringify(rows);
    case 'name':
      return rows.map((r) => `secret/${r.name}\n`).join('');
    default:
      return formatTable(rows, now, format === 'wide');
  }
}

/** The label selector of the Secret list: our type label, the user's `-l`, and `--type`. */
export function secretSelector(selector: string | undefined, type: string | undefined): { selector: string } | { error: string } {
  if (type !== undefined && !credentialTypeNames.includes(type)) return { error: `--type must be one of ${credentialTypeNames.join(', ')}, not "${type}"` };
  if (selector !== undefined && selector.trim() !== '') {
    const parsed = parseLabelSelector(selector);
    if ('error' in parsed) return { error: `-l: ${parsed.error}` };
  }
  const parts = [type === undefined ? keys.typeLabel : `${keys.typeLabel}=${type}`, ...(selector?.trim() ? [selector.trim()] : [])];
  return { selector: parts.join(',') };
}

export interface ListIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
  collect(api: KubeApi, namespace: string | undefined, labelSelector?: string, digestKey?: Buffer): Promise<CredentialListing>;
  digestKey(api: KubeApi, ref: DigestKeyRef): Promise<DigestKeyAccess>;
}

const processIo: ListIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date(), collect: listCredentials, digestKey: readDigestKey };

export const listOptions = {
  ...clusterOptions,
  'all-namespaces': { type: 'boolean', short: 'A' },
  output: { type: 'string', short: 'o', default: 'table' },
  selector: { type: 'string', short: 'l' },
  type: { type: 'string' },
  'digest-key-secret': { type: 'string', default: defaultDigestKeySecret },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `credinject list`: the credentials of the current kubeconfig's cluster, kubectl style. */
export async function run(argv: string[], io: ListIo = processIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, strict: true, options: listOptions }).values;
  } catch (err) {
    io.stderr.write(`credinject list: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const format = values.output as OutputFormat;
  if (!outputFormats.includes(format)) {
    io.stderr.write(`credinject list: -o must be ${outputFormats.join(', ')}, not "${values.output}"\n`);
    return 2;
  }
  if (values['all-namespaces'] && values.namespace !== undefined) {
    io.stderr.write('credinject list: choose -n NAMESPACE or -A, not both\n');
    return 2;
  }
  const selector = secretSelector(values.selector, values.type);
  if ('error' in selector) {
    io.stderr.write(`credinject list: ${selector.error}\n`);
    return 2;
  }
  const digestKeyRef = parseDigestKeyRef(values['digest-key-secret']);
  if ('error' in digestKeyRef) {
    io.stderr.write(`credinject list: ${digestKeyRef.error}\n`);
    return 2;
  }
  let listing: CredentialListing;
  let access: DigestKeyAccess = { notice: '' };
  try {
    const target = clusterTarget(values);
    // Names need no staleness; otherwise the key, read first, lets the listing keep keyed digests.
    if (format !== 'name') access = await io.digestKey(target.api, digestKeyRef);
    listing = await io.collect(target.api, values['all-namespaces'] ? undefined : target.namespace, selector.selector, 'key' in access ? access.key : undefined);
  } catch (err) {
    io.stderr.write(`credinject list: ${firstLine(err)}\n`);
    return 1;
  }
  const rows = credentialRows(listing.credentials, listing.usage, io.now(), versionedUsers(listing));
  if (rows.length === 0 && (format === 'table' || format === 'wide')) io.stderr.write('No credentials found.\n');
  else io.stdout.write(formatRows(rows, format, io.now()));
  if ('notice' in access && access.notice !== '' && rows.some((row) => row.staleness.some((user) => user.reason === 'no-digest-key'))) {
    io.stderr.write(`credinject list: ${access.notice}\n`);
  }
  return 0;
}
