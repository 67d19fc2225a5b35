import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration } from '../../src/contract/humanDuration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

// The cases of k8s.io/apimachinery/pkg/util/duration's TestHumanDuration, plus every boundary.
describe('humanDuration reads like kubectl AGE', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [70 * s, '70s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 1 * s, '2m1s'],
    [5 * m + 30 * s, '5m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 59 * s, '10m'],
    [60 * m, '60m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 12 * m, '3h12m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 59 * m, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [48 * h + 1 * m, '2d'],
    [3 * d + 5 * h, '3d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [364 * d, '364d'],
    [2 * y - 1 * h, '729d'],
    [2 * y, '2y'],
    [2 * y + 30 * d, '2y30d'],
    [8 * y - 1 * h, '7y364d'],
    [8 * y, '8y'],
    [100 * y + 5 * d, '100y'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('is <invalid> for a duration that is not a number', () => {
    expect(humanDuration(Number.NaN)).toBe('<invalid>');
  });
});

describe('ageOf', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it.each([
    ['2026-12-02T11:54:30Z', '5m30s'],
    ['2026-11-29T07:00:00Z', '3d5h'],
    [undefined, '<unknown>'],
    ['not a date', '<unknown>'],
  ])('of %s is %s', (since, text) => {
    expect(ageOf(since, now)).toBe(text);
  });
});
