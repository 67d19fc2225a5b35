import { describe, expect, it } from 'vitest';
import { formatPeerSummary, pairRatio, parsePeerSummary, peerFigures, peerTargets, roundOrder } from '../../../bench/peer/summary.mjs';

/** One round's measurement of a server, with what the summary reads. */
const m = (server: string, cpuUs: number, extra: Record<string, number> = {}) => ({
  server,
  cpuUs,
  perCore: 1e6 / cpuUs,
  rssMb: 50,
  pacedP99: 1,
  errors: 0,
  foreignCores: 0.1,
  ...extra,
});

describe('roundOrder', () => {
  it('alternates the order every round (A B, B A) and rotates who goes first', () => {
    const names = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((round) => roundOrder(names, round))).toEqual([
      ['a', 'b', 'c'],
      ['a', 'c', 'b'],
      ['c', 'a', 'b'],
      ['c', 'b', 'a'],
    ]);
  });
});

describe('pairRatio', () => {
  it('is the median of the ratios taken within each round, not the ratio of the medians', () => {
    // The machine got slower in round 2: both servers cost twice as much, their ratio did not move.
    const results = { x: [m('x', 100), m('x', 200), m('x', 110)], y: [m('y', 200), m('y', 400), m('y', 200)] };
    expect(pairRatio(results, 'x', 'y', 'cpuUs')).toBe(0.5);
  });

  it('uses only the rounds both servers ran, and is NaN when one never ran', () => {
    expect(pairRatio({ x: [m('x', 100), m('x', 300)], y: [m('y', 400)] }, 'x', 'y', 'cpuUs')).toBe(0.25);
    expect(pairRatio({ x: [m('x', 100)] }, 'x', 'vault-k8s', 'cpuUs')).toBeNaN();
  });
});

describe('peerFigures', () => {
  const results = {
    credinject: [m('credinject', 400, { rssMb: 180, errors: 1 }), m('credinject', 500, { rssMb: 190, foreignCores: 0.4 })],
    'vault-k8s': [m('vault-k8s', 800, { rssMb: 40 }), m('vault-k8s', 1000, { rssMb: 45 })],
    'parse-floor': [m('parse-floor', 100), m('parse-floor', 100)],
    'go-floor': [m('go-floor', 20), m('go-floor', 25)],
  };

  it('takes medians and per-round ratios, the highest RSS, every error and the most foreign load', () => {
    const f = peerFigures(results, { maxMs: 3.5, overLimit: 2 }, { rssMb: 85 });
    expect(f).toMatchObject({ cpuVsVault: 0.5, vaultRss: 45, rss: 190, gcMaxMs: 3.5, gcOver2: 2, idleClusterRss: 85, errors: 1, foreign: 0.4 });
    expect(f.cpuVsParseFloor).toBe(4);
  });

  it('leaves what was not measured NaN', () => {
    const f = peerFigures({ credinject: results.credinject }, undefined, undefined);
    expect([f.cpuVsVault, f.vaultRss, f.gcMaxMs, f.idleClusterRss]).toEqual([NaN, NaN, NaN, NaN]);
  });
});

describe('the summary line', () => {
  const figures = {
    cpu: 474, vaultCpu: 707, parseFloorCpu: 107, goFloorCpu: 36, cpuVsVault: 0.67, cpuVsParseFloor: 4.43, cpuVsGoFloor: 13.2,
    perCore: 2110, perCoreVsVault: 1.49, rss: 235, vaultRss: 46, p99: 3.1, vaultP99: 1.2, goFloorP99: 0.4,
    gcMaxMs: 4.7, gcOver2: 12, idleClusterRss: 88, errors: 0, foreign: 0.12,
  };

  it('carries every figure the targets read back', () => {
    const line = formatPeerSummary(figures);
    expect(line.startsWith('peer: CPU/review credinject 474 µs = 0.67 x vault-k8s (707 µs)')).toBe(true);
    expect(parsePeerSummary(line)).toEqual({
      cpuVsVault: 0.67, cpuVsParseFloor: 4.43, rss: 235, rssVsVault: Number((235 / 46).toFixed(2)), p99: 3.1, gcMaxMs: 4.7, idleClusterRss: 88, errors: 0,
    });
  });

  it('reads n/a (a server that was skipped) back as NaN', () => {
    const f = parsePeerSummary(formatPeerSummary({ ...figures, cpuVsVault: NaN, vaultCpu: NaN, vaultRss: NaN }));
    expect(f.cpuVsVault).toBeNaN();
    expect(f.rssVsVault).toBeNaN();
    expect(f.rss).toBe(235);
  });
});

describe('peerTargets', () => {
  it('says MET or MISSED for each target of the performance issue', () => {
    const rows = peerTargets(formatPeerSummary({
      cpu: 280, vaultCpu: 707, parseFloorCpu: 107, goFloorCpu: 36, cpuVsVault: 0.39, cpuVsParseFloor: 2.6, cpuVsGoFloor: 7.8,
      perCore: 3571, perCoreVsVault: 2.5, rss: 99, vaultRss: 46, p99: 2.5, vaultP99: 1.2, goFloorP99: 0.4,
      gcMaxMs: 1.9, gcOver2: 0, idleClusterRss: 91, errors: 0, foreign: 0.1,
    }));
    expect(rows).toEqual([
      'target CPU per review vs vault-k8s <= 0.4 x: 0.39 x MET',
      'target CPU per review vs Node parse floor <= 2.5 x: 2.6 x MISSED',
      'target RSS under load <= 100 MB: 99 MB MET',
      'target RSS under load vs vault-k8s <= 2 x: 2.15 x MISSED',
      'target RSS idle in cluster mode <= 90 MB: 91 MB MISSED',
      'target p99 @500 req/s (open loop, own process) <= 2 ms: 2.5 ms MISSED',
      'target GC pause in a --trace-gc run <= 2 ms: 1.9 ms MET',
      'target peer errors = 0: 0 MET',
    ]);
  });

  it('marks every target NOT MEASURED when the peer was skipped', () => {
    const rows = peerTargets('peer: skipped: go is not installed');
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row).toMatch(/: NOT MEASURED$/);
  });
});
