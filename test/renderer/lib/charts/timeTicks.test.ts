import { describe, expect, it } from 'vitest';
import { timeTicks } from '../../../../src-renderer/lib/charts/timeTicks.js';

const min = 60_000;
const utc = () => 0;
const at = (h: number, m: number) => Date.UTC(2026, 11, 4, h, m);

describe('timeTicks', () => {
  it('15 min from 08:05:30: every 5 min on the round minutes', () => {
    expect(timeTicks(at(8, 5) + 30_000, at(8, 20) + 30_000, 5, utc)).toEqual([at(8, 10), at(8, 15), at(8, 20)]);
  });

  it('1 h: every 15 min; 24 h: every 6 h; never more ticks than asked', () => {
    expect(timeTicks(at(7, 20), at(8, 20), 5, utc)).toEqual([at(7, 30), at(7, 45), at(8, 0), at(8, 15)]);
    const day = timeTicks(at(8, 20) - 24 * 60 * min, at(8, 20), 5, utc);
    expect(day.length).toBeLessThanOrEqual(5);
    expect(day.every((t) => t % (6 * 60 * min) === 0)).toBe(true);
  });

  it('7 d: every 2 days at local midnight (UTC+1 here)', () => {
    const ticks = timeTicks(Date.UTC(2026, 10, 27, 8), Date.UTC(2026, 11, 4, 8), 5, () => 60);
    expect(ticks.map((t) => new Date(t + 60 * min).toISOString().slice(11, 16))).toEqual(['00:00', '00:00', '00:00']);
    expect(ticks[1]! - ticks[0]!).toBe(2 * 24 * 60 * min);
  });
});
