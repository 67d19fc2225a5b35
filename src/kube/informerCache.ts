import type { KubernetesObject } from '@kubernetes/client-node';

/** Where an informer's projected entries go (a WatchedResource). */
export interface EntrySink<T> {
  upsert(entry: T): void;
  remove(entry: T): void;
}

/** A list in progress: entries go to the sink page by page; `end` removes what the list no longer has. */
export interface Relist<T> {
  put(entry: T, version: string | undefined): void;
  end(): void;
}

export interface InformerCache<T> {
  /** Added or changed; an entry at the version already held is not passed on again. */
  put(entry: T, version: string | undefined): void;
  delete(entry: T): void;
  beginList(): Relist<T>;
  size(): number;
}

const keyOf = (entry: KubernetesObject): string => `${entry.metadata?.namespace ?? ''}/${entry.metadata?.name ?? ''}`;

/**
 * The informer's memory of what its sink holds: by namespace/name, the projected entry (the same
 * object the sink keeps, not a copy) and the resourceVersion it was seen at. It makes a relist a
 * diff (only changes reach the sink, and what vanished is removed) without holding a whole list.
 */
export function createInformerCache<T extends KubernetesObject>(sink: EntrySink<T>): InformerCache<T> {
  const held = new Map<string, { version: string | undefined; entry: T }>();

  function put(entry: T, version: string | undefined): string {
    const key = keyOf(entry);
    const found = held.get(key);
    if (found && version !== undefined && found.version === version) return key;
    held.set(key, { version, entry });
    sink.upsert(entry);
    return key;
  }

  return {
    put(entry, version) {
      put(entry, version);
    },
    delete(entry) {
      const key = keyOf(entry);
      if (!held.delete(key)) return;
      sink.remove(entry);
    },
    beginList() {
      const seen = new Set<string>();
      return {
        put: (entry, version) => void seen.add(put(entry, version)),
        end() {
          for (const [key, { entry }] of held) {
            if (seen.has(key)) continue;
            held.delete(key);
            sink.remove(entry);
          }
        },
      };
    },
    size: () => held.size,
  };
}
