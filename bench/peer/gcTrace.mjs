// Reading V8's --trace-gc lines (what `node --trace-gc` prints on stdout), e.g.
//   [123:0x5a8e1c0]   1834 ms: Scavenge 6.4 (7.1) -> 5.9 (8.1) MB, 0.77 / 0.00 ms  (average mu = ...) allocation failure;
//   [123:0x5a8e1c0]   9120 ms: Mark-Compact 18.5 (27.6) -> 12.0 (29.1) MB, 3.59 / 0.02 ms  (+ 1.2 ms in 12 steps
//       since start of marking, biggest step 0.3 ms, walltime since start of marking 15 ms) (average mu = ...) ...
// The number after "MB," is the main-thread pause; an incremental mark-compact also paused for its
// steps, the biggest of which is named. A line of anything else (the server's JSON logs) is skipped.

const line = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: ([A-Z][\w-]*(?: [A-Z][\w-]*)*)(?: \(([^)]*)\))? [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms(?:.*?biggest step ([\d.]+) ms)?/;

/** The GC events of --trace-gc output: { atMs, kind, pauseMs } with pauseMs the longest stop of that GC. */
export function parseGcTrace(text) {
  const events = [];
  for (const raw of text.split('\n')) {
    const match = line.exec(raw);
    if (!match) continue;
    const [, atMs, kind, qualifier, pause, biggestStep] = match;
    events.push({
      atMs: Number(atMs),
      kind: qualifier ? `${kind} (${qualifier})` : kind,
      pauseMs: Math.max(Number(pause), Number(biggestStep ?? 0)),
    });
  }
  return events;
}

/** Per kind of GC: how many, the longest pause, how many paused over `limitMs`. */
export function summariseGcPauses(events, limitMs = 2) {
  const byKind = {};
  for (const { kind, pauseMs } of events) {
    const k = (byKind[kind] ??= { count: 0, maxMs: 0, overLimit: 0 });
    k.count++;
    k.maxMs = Math.max(k.maxMs, pauseMs);
    if (pauseMs > limitMs) k.overLimit++;
  }
  const maxMs = events.reduce((max, e) => Math.max(max, e.pauseMs), 0);
  return { byKind, maxMs, overLimit: events.filter((e) => e.pauseMs > limitMs).length, count: events.length };
}
