import { describe, expect, it } from 'vitest';
import { createInformerCache } from '../../src/kube/informerCache.js';

const entry = (name: string, resourceVersion?: string, tag = '') => ({ metadata: { namespace: 'ml', name, ...(resourceVersion ? { resourceVersion } : {}) }, tag });
type Entry = ReturnType<typeof entry>;

function sinkLog() {
  const log: string[] = [];
  const sink = { upsert: (e: Entry) => log.push(`+${e.metadata.name}${e.tag}`), remove: (e: Entry) => log.push(`-${e.metadata.name}${e.tag}`) };
  return { log, cache: createInformerCache(sink) };
}

describe('informer cache', () => {
  it('passes on a change, not an entry at the resourceVersion it already holds', () => {
    const { log, cache } = sinkLog();
    cache.put(entry('a', '1'));
    cache.put(entry('a', '1'));
    cache.put(entry('a', '2', '*'));
    cache.put(entry('b'));
    cache.put(entry('b')); // no version: always passed on
    expect(log).toEqual(['+a', '+a*', '+b', '+b']);
  });

  it('removes only what it holds, handing the sink the entry it held', () => {
    const { log, cache } = sinkLog();
    cache.put(entry('a', '1', '(held)'));
    cache.delete('ml', 'a');
    cache.delete('ml', 'never-seen');
    cache.delete('other', 'a');
    expect(log).toEqual(['+a(held)', '-a(held)']);
    expect(cache.size()).toBe(0);
  });

  it('makes a relist a diff: changes and additions as pages arrive, what vanished removed at the end', () => {
    const { log, cache } = sinkLog();
    cache.put(entry('kept', '1'));
    cache.put(entry('changed', '1'));
    cache.put(entry('gone', '1'));
    log.length = 0;
    const relist = cache.beginList();
    relist.put(entry('kept', '1'));
    relist.put(entry('changed', '5', '*'));
    relist.put(entry('new', '6'));
    expect(log).toEqual(['+changed*', '+new']);
    relist.end();
    expect(log).toEqual(['+changed*', '+new', '-gone']);
    expect(cache.size()).toBe(3);
  });

  it('keys by namespace and name: the same name in two namespaces is two entries, and a relist keeps both apart', () => {
    const { log, cache } = sinkLog();
    cache.put({ metadata: { namespace: 'a', name: 'x', resourceVersion: '1' }, tag: '@a' });
    cache.put({ metadata: { namespace: 'b', name: 'x', resourceVersion: '1' }, tag: '@b' });
    expect(cache.size()).toBe(2);
    const relist = cache.beginList();
    relist.put({ metadata: { namespace: 'a', name: 'x', resourceVersion: '1' }, tag: '@a' });
    relist.end();
    expect(log.at(-1)).toBe('-x@b');
    expect(cache.size()).toBe(1);
  });
});
