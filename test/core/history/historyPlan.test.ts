import { describe, expect, it } from 'vitest';
import { defaultRetention } from '../../../src-main/core/history/historyFigures.js';
import { bucketCount, planHistoryQuery } from '../../../src-main/core/history/historyPlan.js';

const now = 1_700_000_000_000;
const min = 60_000;
const hour = 3_600_000;
const day = 24 * hour;
const plan = (spanMs: number, extra: Partial<Parameters<typeof planHistoryQuery>[0]> = {}) =>
  planHistoryQuery({ fromAt: now - spanMs, toAt: now, maxPoints: 1000, now, retention: defaultRetention, pollIntervalMs: 5000, ...extra });

describe('planHistoryQuery', () => {
  it('15 min and 1 h at 5 s: raw samples one by one (720 fit in 1000)', () => {
    expect(plan(15 * min)).toEqual({ resolution: 'raw', stepMs: 5000, bucketMs: null });
    expect(plan(hour)).toEqual({ resolution: 'raw', stepMs: 5000, bucketMs: null });
  });

  it('2 h at 5 s: raw samples downsampled to whole numbers of polls, ≤ 1000 points', () => {
    expect(plan(2 * hour)).toEqual({ resolution: 'raw', stepMs: 5000, bucketMs: 15_000 });
    expect(plan(6 * hour)).toEqual({ resolution: 'raw', stepMs: 5000, bucketMs: 25_000 });
  });

  it('24 h at 5 s: 1 min rollups in 2 min points (1,440 rows read, not 17,280 raw ones; the row budget)', () => {
    const p = plan(day);
    expect(p).toEqual({ resolution: '1m', stepMs: min, bucketMs: 2 * min });
    expect(bucketCount(now - day, now, p.bucketMs!)).toBeLessThanOrEqual(1000);
  });

  it('8 h at 1 s reads 1 min rollups too', () => {
    expect(plan(8 * hour, { pollIntervalMs: 1000 })).toEqual({ resolution: '1m', stepMs: min, bucketMs: min });
  });

  it('7 days: 1 min rollups; 90 days: 1 h rollups (1 min ones are kept 30 days)', () => {
    const week = plan(7 * day);
    expect(week.resolution).toBe('1m');
    expect(week.bucketMs! % min).toBe(0);
    expect(bucketCount(now - 7 * day, now, week.bucketMs!)).toBeLessThanOrEqual(1000);
    expect(plan(90 * day)).toMatchObject({ resolution: '1h', stepMs: hour, bucketMs: 3 * hour });
  });

  it('a range that starts before raw retention uses rollups even when short', () => {
    expect(planHistoryQuery({ fromAt: now - 3 * day, toAt: now - 3 * day + hour, maxPoints: 1000, now, retention: defaultRetention, pollIntervalMs: 5000 }))
      .toEqual({ resolution: '1m', stepMs: min, bucketMs: min });
  });

  it('beyond every retention: 1 h rollups', () => {
    expect(plan(5 * 365 * day).resolution).toBe('1h');
  });

  it('small maxPoints: buckets of at least three polls, never two (jitter would leave empty buckets)', () => {
    const p = plan(15 * min, { maxPoints: 100 });
    expect(p.bucketMs).toBe(15_000);
    expect(bucketCount(now - 15 * min, now, p.bucketMs!)).toBeLessThanOrEqual(100);
  });
});
