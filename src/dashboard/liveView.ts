import type { KubernetesObject } from '@kubernetes/client-node';
import { apiStatus, type KubeApi } from '../kube/kubeApi.js';
import type { Logger } from 'pino';
import { keys } from '../contract/keys.js';
import { userKinds, type KindInfo } from '../contract/workloadKinds.js';
import { requestedCredentialNames } from '../engine/injectionRequest.js';
import { effectiveRequest } from '../engine/workloadAnnotations.js';
import { describeApiError } from '../kube/describeApiError.js';
import { kindListers, namespaceLister, resourcePath, type Lister } from '../kube/kindListers.js';
import { startResilientInformer, type RunningInformer } from '../kube/resilientInformer.js';
import type { WatchedResource } from '../kube/watchedResource.js';
import { serviceAccountEntry, usageEntry } from '../view/projections.js';
import { createUsageIndex } from '../view/usageIndex.js';
import { readDigestKey, type DigestKeyRef } from '../view/digestKeyAccess.js';
import { versionedSource } from '../view/versionedUsers.js';
import { dashboardCredential, newDigestKey, type DashboardCredential } from './dashboardCredential.js';
import type { AccessDenial, DashboardSnapshot, NamespaceRecord, UserRecord } from './snapshot.js';

/** What the page server reads: the current snapshot, and a call whenever it changed. */
export interface DashboardSource {
  snapshot(): DashboardSnapshot;
  /** True once every list the user may make is in. */
  synced(): boolean;
  subscribe(listener: () => void): () => void;
  stop(): Promise<void>;
}

export interface LiveViewOptions {
  /** One namespace, or every namespace (undefined). */
  namespace: string | undefined;
  logger: Logger;
  /** Changes closer together than this are one notification (a rollout is many events). */
  debounceMs?: number;
  now?: () => Date;
  /** The digest key Secret, read once with the user's credentials for staleness; without it, Stale is "?". */
  digestKey?: DigestKeyRef;
}

type ListedKind = Parameters<ReturnType<typeof kindListers>>[0];
interface Resource {
  kind: ListedKind;
  plural: string;
  apiVersion: string;
}
const resources: readonly Resource[] = [
  { kind: 'Secret', plural: 'secrets', apiVersion: 'v1' },
  ...userKinds.map((info: KindInfo) => ({ kind: info.kind, plural: info.plural, apiVersion: info.apiVersion })),
  { kind: 'ServiceAccount', plural: 'serviceaccounts', apiVersion: 'v1' },
];

const isForbidden = (err: unknown): boolean => apiStatus(err) === 403;

/** One small list: is the user allowed to list this here? 403 → a denial; anything else is an error. */
async function allowed(list: Lister, labelSelector: string | undefined): Promise<boolean> {
  try {
    await list({ limit: 1, ...(labelSelector ? { labelSelector } : {}) });
    return true;
  } catch (err) {
    if (isForbidden(err)) return false;
    throw new Error(describeApiError(err));
  }
}

const userKey = (namespace: string, kind: string, name: string): string => `${namespace}/${kind}/${name}`;

/**
 * The dashboard's view of the cluster, with the user's own credentials: for every resource and
 * namespace they may list, a resilient informer through the webhook's projections (values dropped
 * on arrival); what they may not list becomes an `AccessDenial` shown on the page. With every
 * namespace asked for and Secrets refused cluster-wide, it falls back to one namespace at a time
 * (when Namespaces may be listed), as a user with rights in a few namespaces expects.
 */
export async function startLiveView(api: KubeApi, options: LiveViewOptions): Promise<DashboardSource> {
  const lister = kindListers(api);
  const digestKey = newDigestKey();
  const shared = options.digestKey ? await readDigestKey(api, options.digestKey) : undefined;
  const sharedKey = shared && 'key' in shared ? shared.key : undefined;
  const digestKeyNotice = options.digestKey && shared && 'notice' in shared ? { namespace: options.digestKey.namespace, text: shared.notice } : undefined;
  const denied: AccessDenial[] = [];
  const credentials = new Map<string, DashboardCredential>();
  const users = new Map<string, UserRecord>();
  const namespaces = new Map<string, NamespaceRecord>();
  const usage = createUsageIndex();
  const listeners = new Set<() => void>();
  const informers: RunningInformer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      for (const listener of listeners) listener();
    }, options.debounceMs ?? 150);
  };
  const informerOptions = { logger: options.logger };

  const namespacesAllowed = await allowed(namespaceLister(api), undefined);
  if (!namespacesAllowed) denied.push({ namespace: '*', resource: 'namespaces', message: 'forbidden' });
  let scopes: (string | undefined)[] = [options.namespace];
  let secretsListedIn: 'all' | string[] = options.namespace === undefined ? 'all' : [options.namespace];
  if (options.namespace === undefined && !(await allowed(lister('Secret'), keys.typeLabel))) {
    if (!namespacesAllowed) {
      denied.push({ namespace: '*', resource: 'secrets', message: 'forbidden' });
      scopes = [];
    } else {
      const page = await namespaceLister(api)({ limit: 1000 });
      scopes = page.items.map((item) => item.metadata?.name ?? '').filter(Boolean);
    }
    secretsListedIn = [];
  }

  const secretSink = (namespace: string | undefined): Omit<WatchedResource<DashboardCredential>, 'name' | 'path' | 'listPage'> => ({
    labelSelector: keys.typeLabel,
    project: (object) => dashboardCredential(object, digestKey, sharedKey),
    upsert: (entry) => {
      credentials.set(`${entry.metadata.namespace}/${entry.metadata.name}`, entry);
      changed();
    },
    remove: (entry) => {
      credentials.delete(`${entry.metadata.namespace}/${entry.metadata.name}`);
      changed();
      void namespace;
    },
  });

  const setUser = (record: UserRecord): void => {
    const key = userKey(record.namespace, record.kind, record.name);
    if (record.credentials.length === 0 && record.direct.length === 0) users.delete(key);
    else users.set(key, record);
    usage.set(record);
    changed();
  };
  const removeUser = (namespace: string, kind: string, name: string): void => {
    users.delete(userKey(namespace, kind, name));
    usage.remove(namespace, kind, name);
    changed();
  };

  function watched(resource: Resource, namespace: string | undefined, list: Lister): WatchedResource<KubernetesObject> {
    const path = resourcePath(resource, namespace);
    if (resource.kind === 'Secret') return { name: resource.plural, path, listPage: list, ...secretSink(namespace) } as WatchedResource<KubernetesObject>;
    if (resource.kind === 'ServiceAccount') {
      return {
        name: resource.plural,
        path,
        listPage: list,
        project: (object) => serviceAccountEntry(object),
        upsert: (entry) => {
          const { metadata, request } = entry as ReturnType<typeof serviceAccountEntry>;
          setUser({ namespace: metadata.namespace, kind: 'ServiceAccount', name: metadata.name, credentials: requestedCredentialNames(request), direct: [], request });
        },
        remove: ({ metadata }) => removeUser(metadata?.namespace ?? '', 'ServiceAccount', metadata?.name ?? ''),
      };
    }
    const kind = resource.kind;
    return {
      name: resource.plural,
      path,
      listPage: list,
      // The request annotations are kept beside the usage (never the spec), for how each user consumes.
      // So are its owner, version annotations and consumption source (no env value), for staleness.
      project: (object) => ({ ...usageEntry(object, kind), request: effectiveRequest(object, kind), versioned: versionedSource(object, kind) }),
      upsert: (entry) => {
        const { metadata, credentials: asked, direct, request, versioned } = entry as ReturnType<typeof usageEntry> & Pick<UserRecord, 'request' | 'versioned'>;
        setUser({ namespace: metadata.namespace, kind, name: metadata.name, credentials: asked, direct, request, ...(versioned ? { versioned } : {}) });
      },
      remove: ({ metadata }) => removeUser(metadata?.namespace ?? '', kind, metadata?.name ?? ''),
    };
  }

  for (const namespace of scopes) {
    const checks = await Promise.all(
      resources.map(async (resource) => {
        const list = lister(resource.kind, namespace);
        return { resource, list, ok: await allowed(list, resource.kind === 'Secret' ? keys.typeLabel : undefined) };
      }),
    );
    for (const { resource, list, ok } of checks) {
      if (!ok) {
        denied.push({ namespace: namespace ?? '*', resource: resource.plural, message: 'forbidden' });
        continue;
      }
      if (resource.kind === 'Secret' && namespace !== undefined && Array.isArray(secretsListedIn) && options.namespace === undefined) secretsListedIn.push(namespace);
      informers.push(startResilientInformer(api, watched(resource, namespace, list), informerOptions));
    }
  }

  if (namespacesAllowed) {
    informers.push(
      startResilientInformer(
        api,
        {
          name: 'namespaces',
          path: '/api/v1/namespaces',
          listPage: namespaceLister(api),
          project: (object) => object,
          upsert: (object) => {
            const name = object.metadata?.name ?? '';
            namespaces.set(name, { name, labels: { ...object.metadata?.labels }, terminating: Boolean(object.metadata?.deletionTimestamp) });
            changed();
          },
          remove: (object) => {
            namespaces.delete(object.metadata?.name ?? '');
            changed();
          },
        },
        informerOptions,
      ),
    );
  }

  const now = options.now ?? (() => new Date());
  return {
    snapshot: () => ({
      credentials: [...credentials.values()],
      usage,
      users: [...users.values()],
      ...(namespacesAllowed ? { namespaces: [...namespaces.values()] } : {}),
      secretsListedIn,
      denied,
      ...(digestKeyNotice ? { digestKeyNotice } : {}),
      now: now(),
    }),
    synced: () => informers.every((informer) => informer.synced()),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      clearTimeout(timer);
      listeners.clear();
      await Promise.all(informers.map((informer) => informer.stop()));
    },
  };
}
