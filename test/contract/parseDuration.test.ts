import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/contract/parseDuration.js';

describe('parseDuration', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['168h', 168 * 3_600_000],
    ['1h30m', 90 * 60_000],
    ['1.5h', 90 * 60_000],
    ['45s', 45_000],
    ['250ms', 250],
    ['2d12h', 60 * 3_600_000],
    ['0', 0],
    [' 3d ', 3 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '7', 'd', '7 days', '-1d', '1w', '1h 30m', 'ten'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNaN();
  });
});
