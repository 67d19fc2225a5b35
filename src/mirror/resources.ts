import type { KubernetesObject, V1Namespace, V1Secret } from '@kubernetes/client-node';
import type { KubeApi } from '../kube/kubeApi.js';
import { namespaceLister, resourceLister, secretResource } from '../kube/kindListers.js';
import { validateCredential } from '../credentials/validateCredential.js';
import { keys } from '../contract/keys.js';
import { keyedMirrorHash } from './mirrorSecret.js';
import type { ExistingMirror, MirrorSource, NamespaceState } from './plan.js';
import type { WatchedResource } from '../kube/watchedResource.js';

/**
 * What the mirror controller watches, each reduced on arrival like the webhook's own caches: a
 * Secret watch streams values, but only a keyed hash of them is kept. Values are read again, one Secret
 * at a time, only when a mirror has to be written (see mirrorWriter).
 */
interface Identity {
  name: string;
  namespace: string;
  resourceVersion?: string;
}

export interface Entry<T> extends KubernetesObject {
  metadata: Identity;
  value: T;
}

function identity(object: KubernetesObject): Identity {
  const metadata = object.metadata ?? {};
  const id: Identity = { name: metadata.name ?? '', namespace: metadata.namespace ?? '' };
  if (metadata.resourceVersion) id.resourceVersion = metadata.resourceVersion;
  return id;
}

/** Only credinject's annotations: others (last-applied-configuration) can hold the values. */
const credinjectAnnotations = (annotations: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => key.startsWith('credinject.dev/')));

export function sourceEntry(secret: V1Secret, digestKey: Buffer): Entry<MirrorSource> {
  const metadata = secret.metadata ?? {};
  return {
    metadata: identity(secret),
    value: {
      name: metadata.name ?? '',
      namespace: metadata.namespace ?? '',
      secretType: secret.type ?? 'Opaque',
      labels: { ...metadata.labels },
      annotations: credinjectAnnotations(metadata.annotations),
      dataHash: keyedMirrorHash(metadata.name ?? '', secret.data, digestKey),
      problems: validateCredential(secret).map((problem) => problem.rule),
      terminating: Boolean(metadata.deletionTimestamp),
    },
  };
}

export function mirrorEntry(secret: V1Secret, digestKey: Buffer): Entry<ExistingMirror> {
  const metadata = secret.metadata ?? {};
  return {
    metadata: identity(secret),
    value: {
      namespace: metadata.namespace ?? '',
      name: metadata.name ?? '',
      uid: metadata.uid ?? '',
      resourceVersion: metadata.resourceVersion ?? '',
      secretType: secret.type ?? 'Opaque',
      labels: { ...metadata.labels },
      annotations: credinjectAnnotations(metadata.annotations),
      dataHash: keyedMirrorHash(metadata.name ?? '', secret.data, digestKey),
    },
  };
}

export function namespaceEntry(namespace: V1Namespace): Entry<NamespaceState> {
  const metadata = namespace.metadata ?? {};
  return {
    metadata: identity(namespace),
    value: {
      name: metadata.name ?? '',
      labels: { ...metadata.labels },
      terminating: Boolean(metadata.deletionTimestamp) || namespace.status?.phase === 'Terminating',
    },
  };
}

/** The entries of one watched resource, by `namespace/name`, with a hook for every change. */
export interface EntryMap<T> {
  values(): T[];
  resource: WatchedResource<Entry<T>>;
}

function entryMap<T>(
  resource: Omit<WatchedResource<Entry<T>>, 'upsert' | 'remove' | 'project'>,
  project: (object: KubernetesObject) => Entry<T>,
  onChange: () => void,
): EntryMap<T> {
  const entries = new Map<string, T>();
  const key = (entry: Entry<T>) => `${entry.metadata.namespace}/${entry.metadata.name}`;
  return {
    values: () => [...entries.values()],
    resource: {
      ...resource,
      project,
      upsert(entry) {
        entries.set(key(entry), entry.value);
        onChange();
      },
      remove(entry) {
        entries.delete(key(entry));
        onChange();
      },
    },
  };
}

export interface MirrorInputs {
  sources: EntryMap<MirrorSource>;
  namespaces: EntryMap<NamespaceState>;
  mirrors: EntryMap<ExistingMirror>;
}

/**
 * Cluster credentials of the injector namespace only (the one namespace whose Secrets' values we
 * read), every namespace's labels, and every mirror cluster-wide, by label.
 */
export function mirrorInputs(api: KubeApi, injectorNamespace: string, digestKey: Buffer, onChange: () => void): MirrorInputs {
  const sourceSelector = `${keys.typeLabel},${keys.scopeLabel}=cluster`;
  return {
    sources: entryMap(
      {
        name: 'mirror-sources',
        path: `/api/v1/namespaces/${injectorNamespace}/secrets`,
        labelSelector: sourceSelector,
        listPage: resourceLister(api, secretResource, injectorNamespace),
      },
      (object) => sourceEntry(object as V1Secret, digestKey),
      onChange,
    ),
    namespaces: entryMap(
      { name: 'mirror-namespaces', path: '/api/v1/namespaces', listPage: namespaceLister(api) },
      (object) => namespaceEntry(object as V1Namespace),
      onChange,
    ),
    mirrors: entryMap(
      {
        name: 'mirror-secrets',
        path: '/api/v1/secrets',
        labelSelector: `${keys.mirrorLabel}=true`,
        listPage: resourceLister(api, secretResource),
      },
      (object) => mirrorEntry(object as V1Secret, digestKey),
      onChange,
    ),
  };
}
