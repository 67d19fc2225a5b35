import { existsSync, readFileSync } from 'node:fs';
import { Agent as HttpAgent, type Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIPv6 } from 'node:net';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/**
 * The kubeconfig (or the in-cluster service account) read without @kubernetes/client-node, whose
 * config module loads its whole generated API. Covers what kubectl users and pods use: tokens, token
 * files, client certificates, basic auth, impersonation, CA and TLS server name. A user with an exec
 * plugin or an auth provider, or a cluster behind a proxy, goes through client-node, loaded then.
 * `as-groups` is not sent, as client-node 1.4 does not: Impersonate-Group must be one header line per
 * group, and PreparedRequest's headers hold one value each.
 */

export interface PreparedRequest {
  agent: Agent;
  headers: Record<string, string>;
}

export interface ClusterConnection {
  /** The API server's URL without a trailing slash, e.g. https://10.96.0.1:443 */
  readonly server: string;
  /** The context's namespace (in cluster: the service account's namespace file), if any. */
  readonly namespace?: string;
  /** Agent (TLS settings) and auth headers for one request. */
  prepare(): Promise<PreparedRequest>;
}

export interface ConnectionOptions {
  /** `--kubeconfig`: this file only. */
  kubeconfig?: string;
  /** `--context`: this context instead of the current one. */
  context?: string;
  env?: NodeJS.ProcessEnv;
  serviceAccountDir?: string;
  /** Clock for token-file refreshes (tests). */
  now?: () => number;
}

export const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A token file is read again at most this often: projected tokens rotate (client-go does the same). */
export const tokenFileRefreshMs = 60_000;

type Entry = Record<string, unknown>;
interface Named {
  name: string;
  value: Entry;
  /** The file it came from: relative paths in it are relative to its directory. */
  file: string;
}

interface Kubeconfig {
  files: string[];
  currentContext?: string;
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Reads and merges kubeconfig files as kubectl does: the first to set a value or define a name wins. */
function readKubeconfigs(files: string[]): Kubeconfig {
  const merged: Kubeconfig = { files, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a readable YAML or JSON kubeconfig';
      throw new Error(`kubeconfig ${file}: ${reason}`);
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`kubeconfig ${file}: not a kubeconfig (expected a mapping with clusters, users and contexts)`);
    const config = doc as Entry;
    merged.currentContext ??= str(config['current-context']);
    for (const [list, field, into] of [
      ['clusters', 'cluster', merged.clusters],
      ['users', 'user', merged.users],
      ['contexts', 'context', merged.contexts],
    ] as const) {
      const entries = config[list];
      if (entries === undefined || entries === null) continue;
      if (!Array.isArray(entries)) throw new Error(`kubeconfig ${file}: ${list} must be a list`);
      for (const item of entries as Entry[]) {
        const name = str(item?.['name']);
        if (!name) throw new Error(`kubeconfig ${file}: an entry of ${list} has no name`);
        const value = item[field];
        if (!into.has(name)) into.set(name, { name, value: value && typeof value === 'object' ? (value as Entry) : {}, file });
      }
    }
  }
  return merged;
}

/** Which files: `--kubeconfig`, else $KUBECONFIG's list, else ~/.kube/config; none → in cluster. */
function kubeconfigFiles(options: ConnectionOptions, env: NodeJS.ProcessEnv): string[] {
  if (options.kubeconfig) return [options.kubeconfig];
  const listed = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    // kubectl skips a listed file that does not exist (only an explicit --kubeconfig must exist).
    const present = listed.filter((file) => existsSync(file));
    if (present.length === 0) throw new Error(`$KUBECONFIG names no file that exists (${listed.join(delimiter)})`);
    return present;
  }
  const home = env['HOME'];
  const own = home ? join(home, '.kube', 'config') : undefined;
  return own && existsSync(own) ? [own] : [];
}

/** A file an entry names (relative to the entry's kubeconfig), read with an error naming the entry and field, never the content. */
function readNamed(path: string, field: string, owner: string, entry: Named | undefined): Buffer {
  const file = isAbsolute(path) || !entry ? path : join(dirname(entry.file), path);
  try {
    return readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new Error(`${entry ? `kubeconfig ${entry.file}: ${owner} "${entry.name}": ` : ''}${field} ${file}: ${reason}`);
  }
}

function fileOrData(entry: Named | undefined, field: string, owner: string): Buffer | undefined {
  const path = str(entry?.value[field]);
  const data = str(entry?.value[`${field}-data`]);
  return path ? readNamed(path, field, owner, entry) : data ? Buffer.from(data, 'base64') : undefined;
}

/** A token, read again from its file at most once a minute. */
function tokenReader(read: () => Buffer, now: () => number): () => string {
  let token = '';
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    if (now() - readAt > tokenFileRefreshMs) {
      token = read().toString('utf8').trim();
      readAt = now();
    }
    return token;
  };
}

function agentFor(server: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; insecure: boolean; servername?: string }, where: string): Agent {
  if (server.startsWith('http:')) {
    // As client-node: plain HTTP only when the kubeconfig says TLS is not verified anyway.
    if (!tls.insecure) throw new Error(`${where}: server ${server} is plain HTTP; set insecure-skip-tls-verify: true to allow it`);
    return new HttpAgent({ keepAlive: true });
  }
  return new HttpsAgent({
    keepAlive: true,
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    ...(tls.insecure ? { rejectUnauthorized: false } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
  });
}

function inCluster(env: NodeJS.ProcessEnv, dir: string, now: () => number): ClusterConnection {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  const tokenFile = join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) {
    throw new Error(
      'no kubeconfig: --kubeconfig is not given, $KUBECONFIG is empty, ~/.kube/config does not exist, and this is not a pod (KUBERNETES_SERVICE_HOST/PORT and the service account token are missing)',
    );
  }
  // client-node's rule: the API server's usual plain-HTTP ports mean HTTP.
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const caFile = join(dir, 'ca.crt');
  const agent = scheme === 'http' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true, ...(existsSync(caFile) ? { ca: readFileSync(caFile) } : {}) });
  const token = tokenReader(() => readNamed(tokenFile, 'service account token', '', undefined), now);
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return {
    server,
    ...(namespace ? { namespace } : {}),
    prepare: async () => ({ agent, headers: { authorization: `Bearer ${token()}` } }),
  };
}

/** Needs client-node: an exec plugin, an auth provider (a token file one is ours), a proxy. */
function needsClientNode(user: Entry, cluster: Entry): boolean {
  const provider = user['auth-provider'] as Entry | undefined;
  const fileProvider = provider && str((provider['config'] as Entry | undefined)?.['tokenFile']) !== undefined;
  return user['exec'] !== undefined || (provider !== undefined && !fileProvider) || str(cluster['proxy-url']) !== undefined;
}

/** client-node for what we do not implement, loaded on first use: only its users pay for it. */
function clientNodeConnection(files: string[], context: string, server: string, namespace: string | undefined): ClusterConnection {
  let loaded: Promise<{ applyToFetchOptions(o: object): Promise<{ agent?: unknown; headers?: unknown }> }> | undefined;
  const load = async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    config.loadFromFile(files[0]!);
    for (const file of files.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      // The first definition of a name wins, as kubectl and readKubeconfigs do (mergeConfig throws on a repeated name).
      const add = <T extends { name: string }>(have: T[], extra: T[]) => have.push(...extra.filter((e) => !have.some((h) => h.name === e.name)));
      add(config.clusters, more.clusters);
      add(config.users, more.users);
      add(config.contexts, more.contexts);
    }
    config.setCurrentContext(context);
    return config;
  };
  return {
    server,
    ...(namespace ? { namespace } : {}),
    async prepare() {
      const options = await (loaded ??= load()).then((config) => config.applyToFetchOptions({}));
      const headers: Record<string, string> = {};
      (options.headers as Headers | undefined)?.forEach((value, key) => (headers[key] = value));
      return { agent: options.agent as Agent, headers };
    },
  };
}

/** The connection to the cluster of the chosen context. Throws an Error whose message is for the user. */
export function loadClusterConnection(options: ConnectionOptions = {}): ClusterConnection {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const files = kubeconfigFiles(options, env);
  if (files.length === 0) return inCluster(env, options.serviceAccountDir ?? defaultServiceAccountDir, now);
  const config = readKubeconfigs(files);
  const where = `kubeconfig ${files.join(delimiter)}`;
  const contextName = options.context ?? config.currentContext;
  if (!contextName) throw new Error(`${where}: no current-context is set; pass --context (contexts: ${[...config.contexts.keys()].join(', ') || 'none'})`);
  const context = config.contexts.get(contextName);
  if (!context) throw new Error(`context "${contextName}" is not in the kubeconfig (contexts: ${[...config.contexts.keys()].join(', ') || 'none'})`);
  const clusterName = str(context.value['cluster']);
  const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
  if (!cluster) throw new Error(`${where}: context "${contextName}" names cluster "${clusterName ?? ''}", which is not in the kubeconfig`);
  const userName = str(context.value['user']);
  const user = userName ? config.users.get(userName) : undefined;
  if (userName && !user) throw new Error(`${where}: context "${contextName}" names user "${userName}", which is not in the kubeconfig`);
  const server = str(cluster.value['server'])?.replace(/\/+$/, '');
  if (!server) throw new Error(`${where}: cluster "${cluster.name}" has no server`);
  const namespace = str(context.value['namespace']);
  const u = user?.value ?? {};
  if (needsClientNode(u, cluster.value)) return clientNodeConnection(files, contextName, server, namespace);

  const c = cluster.value;
  const agent = agentFor(
    server,
    {
      ...optional('ca', fileOrData(cluster, 'certificate-authority', 'cluster')),
      ...optional('cert', fileOrData(user, 'client-certificate', 'user')),
      ...optional('key', fileOrData(user, 'client-key', 'user')),
      insecure: c['insecure-skip-tls-verify'] === true,
      ...optional('servername', str(c['tls-server-name'])),
    },
    where,
  );
  const tokenFile = str(u['tokenFile']) ?? str(((u['auth-provider'] as Entry | undefined)?.['config'] as Entry | undefined)?.['tokenFile']);
  const fileToken = tokenFile ? tokenReader(() => readNamed(tokenFile, 'tokenFile', 'user', user), now) : undefined;
  const fixed: Record<string, string> = {};
  const username = str(u['username']);
  if (username) fixed['authorization'] = `Basic ${Buffer.from(`${username}:${str(u['password']) ?? ''}`).toString('base64')}`;
  const token = str(u['token']);
  if (token) fixed['authorization'] = `Bearer ${token}`;
  const impersonate = str(u['as']);
  if (impersonate) fixed['impersonate-user'] = impersonate;
  return {
    server,
    ...(namespace ? { namespace } : {}),
    // A static token wins over a token file, as in client-node.
    prepare: async () => ({ agent, headers: fileToken && !token ? { ...fixed, authorization: `Bearer ${fileToken()}` } : fixed }),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));
