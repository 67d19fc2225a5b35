import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../../../bench/peer/wrkOutput.mjs';

// Debian's wrk 4.x, as printed by `wrk -t1 -c2 -d1s` (a run where every answer was a 404).
const report = `Running 1s test @ http://127.0.0.1:18931/nonexistent
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.42ms    1.39ms  10.51ms   86.14%
    Req/Sec     1.70k   327.51     2.20k    63.64%
  1858 requests in 1.10s, 0.92MB read
  Non-2xx or 3xx responses: 1858
Requests/sec:   1689.29
Transfer/sec:    858.01KB
`;

describe('parseWrkOutput', () => {
  it('reads requests, duration, throughput and non-2xx answers', () => {
    expect(parseWrkOutput(report)).toEqual({ requests: 1858, seconds: 1.1, rps: 1689.29, non2xx: 1858, socketErrors: 0 });
  });

  it('adds up the socket errors of every kind and converts the duration unit', () => {
    const text = report
      .replace('1858 requests in 1.10s', '20 requests in 900.00ms')
      .replace('  Non-2xx or 3xx responses: 1858\n', '  Socket errors: connect 1, read 2, write 3, timeout 4\n');
    expect(parseWrkOutput(text)).toMatchObject({ requests: 20, seconds: 0.9, non2xx: 0, socketErrors: 10 });
  });

  it('refuses what is not a wrk report, quoting it', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/not a wrk report: unable to connect/);
  });
});
