import { parseArgs } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import type { UsageIndex } from '../admission/store.js';
import type { CredentialInfo } from '../credentials/credentialInfo.js';
import { ageOf } from '../contract/humanDuration.js';
import { keys } from '../contract/keys.js';
import { expiryStatus } from '../credentials/expiry.js';
import { listCredentials, type CredentialListing } from '../view/clusterSnapshot.js';
import { loadKubeConfig } from '../kube/kubeConfig.js';

const usage = `usage: credinject list [-n NAMESPACE | -A] [-o table|json] [--kubeconfig F]

Lists credential Secrets with their status and how many Pods and workloads use them.
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
}

/** `cluster`/`namespace` from the label; a mirror says whose copy it is, so users know where to edit. */
function scopeOf(info: CredentialInfo): string {
  const source = info.annotations[keys.mirroredFrom];
  return source ? `mirror of ${source}` : (info.labels[keys.scopeLabel] ?? 'namespace');
}

/** A broken credential says what to fix first; a valid one how long it has left, when that is soon. */
export function credentialStatus(info: CredentialInfo, now: Date): string {
  return info.problems[0]?.message ?? expiryStatus(info.expiresAt, now) ?? 'valid';
}

export function credentialRows(credentials: CredentialInfo[], usage: UsageIndex, now: Date = new Date()): CredentialRow[] {
  return credentials
    .map((info) => {
      const users = usage.usersOf(info.namespace, info.name);
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
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function formatTable(rows: CredentialRow[], now: Date): string {
  const header = ['NAME', 'NAMESPACE', 'TYPE', 'SCOPE', 'STATUS', 'IN-USE', 'AGE'];
  const cells = rows.map((r) => [r.name, r.namespace, r.type, r.scope, r.status, String(r.inUse), ageOf(r.createdAt, now)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  // Like kubectl: columns padded to the widest cell plus three spaces, the last one unpadded.
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('');
  return [header, ...cells].map(line).join('\n') + '\n';
}

export interface ListIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): Date;
  collect(kubeConfig: KubeConfig, namespace: string | undefined): Promise<CredentialListing>;
}

const processIo: ListIo = { stdout: process.stdout, stderr: process.stderr, now: () => new Date(), collect: listCredentials };

/** `credinject list`: a table (or JSON) of the credentials in the current kubeconfig's cluster. */
export async function run(argv: string[], io: ListIo = processIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        output: { type: 'string', short: 'o', default: 'table' },
        kubeconfig: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.stderr.write(`credinject list: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (values.output !== 'table' && values.output !== 'json') {
    io.stderr.write(`credinject list: -o must be table or json, not "${values.output}"\n`);
    return 2;
  }
  if (values['all-namespaces'] && values.namespace !== undefined) {
    io.stderr.write('credinject list: choose -n NAMESPACE or -A, not both\n');
    return 2;
  }
  let listing: CredentialListing;
  try {
    const kubeConfig = loadKubeConfig(values.kubeconfig);
    const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
    const namespace = values['all-namespaces'] ? undefined : (values.namespace ?? contextNamespace ?? 'default');
    listing = await io.collect(kubeConfig, namespace);
  } catch (err) {
    // First line only: client-node's errors go on with the response body and headers.
    io.stderr.write(`credinject list: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return 1;
  }
  const rows = credentialRows(listing.credentials, listing.usage, io.now());
  if (values.output === 'json') io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.stderr.write('No credentials found.\n');
  else io.stdout.write(formatTable(rows, io.now()));
  return 0;
}
