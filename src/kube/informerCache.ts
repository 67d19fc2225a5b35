import type { KubernetesObject } from '@kubernetes/client-node';

/** Where an informer's projected entries go (a WatchedResource). */
export interface EntrySink<T> {
  upsert(entry: T): void;
  remove(entry: T): void;
}

/** A list in progress: entries go to the sink page by page; `end` removes what the list no longer has. */
export interface Relist<T> {
  put(entry: T): void;
  end(): void;
}

export interface InformerCache<T> {
  /** Added or changed; an entry at the resourceVersion already held is not passed on again. */
  put(entry: T): void;
  /** Gone: the sink is handed the entry held for it (sinks key by namespace and name). */
  delete(namespace: string, name: string): void;
  beginList(): Relist<T>;
  /** Entries held (tests, diagnostics). */
  size(): number;
}

const sameVersion = (a: KubernetesObject, b: KubernetesObject): boolean => a.metadata?.resourceVersion !== undefined && a.metadata.resourceVersion === b.metadata?.resourceVersion;

/**
 * The informer's memory of what its sink holds: by namespace, then name, the projected entry itself
 * (the object the sink keeps, not a copy; projections keep the resourceVersion). It makes a relist
 * a diff (only changes reach the sink, and what vanished is removed) without holding a whole list,
 * and costs no string per object: the keys are the entry's own (interned) names.
 */
export function createInformerCache<T extends KubernetesObject>(sink: EntrySink<T>): InformerCache<T> {
  const held = new Map<string, Map<string, T>>();

  function put(entry: T): void {
    const namespace = entry.metadata?.namespace ?? '';
    const name = entry.metadata?.name ?? '';
    let names = held.get(namespace);
    if (!names) held.set(namespace, (names = new Map()));
    const found = names.get(name);
    if (found && sameVersion(found, entry)) return;
    names.set(name, entry);
    sink.upsert(entry);
  }

  function remove(namespace: string, name: string): void {
    const names = held.get(namespace);
    const entry = names?.get(name);
    if (!names || entry === undefined) return;
    names.delete(name);
    if (names.size === 0) held.delete(namespace);
    sink.remove(entry);
  }

  return {
    put,
    delete: remove,
    beginList() {
      const seen = new Map<string, Set<string>>();
      return {
        put(entry) {
          put(entry);
          const namespace = entry.metadata?.namespace ?? '';
          let names = seen.get(namespace);
          if (!names) seen.set(namespace, (names = new Set()));
          names.add(entry.metadata?.name ?? '');
        },
        end() {
          for (const [namespace, names] of held) {
            const listed = seen.get(namespace);
            for (const name of names.keys()) if (!listed?.has(name)) remove(namespace, name);
          }
        },
      };
    },
    size: () => [...held.values()].reduce((sum, names) => sum + names.size, 0),
  };
}
