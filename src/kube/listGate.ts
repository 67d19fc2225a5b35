/**
 * How many list pages a process's informers have in flight at once. Nine informers listing a
 * large cluster side by side keep nine pages of whole objects alive together; the young
 * generation cannot hold them, so they are promoted and the old space grows to hundreds of MB for
 * objects that are dropped a moment later (the projection keeps a few names of each). Through the
 * gate a page is fetched and projected while at most `concurrency - 1` others are.
 *
 * A page that takes longer than `holdLimitMs` gives up its slot (it still completes): a hung
 * request of one resource delays the others' lists by that much, never forever.
 */
export interface ListGate {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createListGate(concurrency = 2, holdLimitMs = 30_000): ListGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (running < concurrency) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    async run(task) {
      await acquire();
      let released = false;
      const releaseOnce = (): void => {
        if (released) return;
        released = true;
        release();
      };
      const timer = setTimeout(releaseOnce, holdLimitMs);
      timer.unref();
      try {
        return await task();
      } finally {
        clearTimeout(timer);
        releaseOnce();
      }
    },
  };
}
