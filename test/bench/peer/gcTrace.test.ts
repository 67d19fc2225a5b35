import { describe, expect, it } from 'vitest';
import { parseGcTrace, summariseGcPauses } from '../../../bench/peer/gcTrace.mjs';

// node 20 --trace-gc lines as they land in the server's log file, between its JSON log lines.
const trace = [
  '[966:0x2a3e3d60]       24 ms: Scavenge 4.1 (4.2) -> 3.7 (5.2) MB, 3.66 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
  '{"level":30,"time":1764670000000,"msg":"admission review","ms":0.7}',
  '[966:0x2a3e3d60]       26 ms: Scavenge 4.3 (5.4) -> 4.3 (6.2) MB, 1.44 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
  '[876:0x1f7afe40]      177 ms: Mark-Compact 66.7 (85.4) -> 14.4 (47.3) MB, 1.28 / 0.00 ms  (+ 8.4 ms in 14 steps since start of marking, biggest step 2.5 ms, walltime since start of marking 24 ms) (average mu = 1.000, current mu = 1.000) finalize incremental marking via stack guard; GC in old space requested',
  '[876:0x1f7afe40]      367 ms: Mark-Compact (reduce) 83.5 (111.8) -> 9.5 (43.9) MB, 0.89 / 0.00 ms  (average mu = 0.868, current mu = 0.868) low memory notification; GC in old space requested',
  '',
].join('\n');

describe('parseGcTrace', () => {
  it('reads each GC with its kind and its longest stop, skipping other lines', () => {
    expect(parseGcTrace(trace)).toEqual([
      { atMs: 24, kind: 'Scavenge', pauseMs: 3.66 },
      { atMs: 26, kind: 'Scavenge', pauseMs: 1.44 },
      // An incremental mark-compact's biggest marking step stopped the thread longer than its finish.
      { atMs: 177, kind: 'Mark-Compact', pauseMs: 2.5 },
      { atMs: 367, kind: 'Mark-Compact (reduce)', pauseMs: 0.89 },
    ]);
  });

  it('finds nothing in output without trace lines', () => {
    expect(parseGcTrace('{"level":30}\nlistening on 127.0.0.1:8443\n')).toEqual([]);
  });
});

describe('summariseGcPauses', () => {
  it('counts per kind, the longest pause and the pauses over the limit', () => {
    const summary = summariseGcPauses(parseGcTrace(trace), 2);
    expect(summary).toEqual({
      byKind: {
        Scavenge: { count: 2, maxMs: 3.66, overLimit: 1 },
        'Mark-Compact': { count: 1, maxMs: 2.5, overLimit: 1 },
        'Mark-Compact (reduce)': { count: 1, maxMs: 0.89, overLimit: 0 },
      },
      maxMs: 3.66,
      overLimit: 2,
      count: 4,
    });
  });

  it('is zero pauses, none over the limit, when no GC ran', () => {
    expect(summariseGcPauses([], 2)).toEqual({ byKind: {}, maxMs: 0, overLimit: 0, count: 0 });
  });
});
