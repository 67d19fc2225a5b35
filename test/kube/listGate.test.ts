import { afterEach, describe, expect, it, vi } from 'vitest';
import { createListGate } from '../../src/kube/listGate.js';

/** A task that records when it runs and finishes when told. */
function deferredTask(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const task = async () => {
    log.push(`start ${name}`);
    await done;
    log.push(`end ${name}`);
    return name;
  };
  return { task, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('list gate', () => {
  it('runs at most `concurrency` tasks at once, the rest in arrival order', async () => {
    const log: string[] = [];
    const gate = createListGate(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => deferredTask(log, name));
    const results = [a!, b!, c!, d!].map(({ task }) => gate.run(task));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    b!.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    a!.finish();
    c!.finish();
    d!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a task that failed', async () => {
    const gate = createListGate(1);
    await expect(gate.run(() => Promise.reject(new Error('list failed')))).rejects.toThrow('list failed');
    expect(await gate.run(async () => 'next')).toBe('next');
  });

  it('lets the next task start when one holds its slot past the limit, and counts that slot once', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const gate = createListGate(1, 1000);
    const hung = deferredTask(log, 'hung');
    const [next, last] = ['next', 'last'].map((name) => deferredTask(log, name));
    void gate.run(hung.task);
    const nextResult = gate.run(next!.task);
    const lastResult = gate.run(last!.task);
    await vi.advanceTimersByTimeAsync(999);
    expect(log).toEqual(['start hung']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['start hung', 'start next']);
    // The hung task finishing late must not free a second slot: `last` still waits for `next`.
    hung.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['start hung', 'start next', 'end hung']);
    next!.finish();
    await nextResult;
    last!.finish();
    expect(await lastResult).toBe('last');
  });
});
