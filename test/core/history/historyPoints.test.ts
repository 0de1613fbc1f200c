import { describe, expect, it } from 'vitest';
import type { WeightedValue } from '../../../src-main/core/history/bucketAggregate.js';
import { downsample, pointsWithGaps } from '../../../src-main/core/history/historyPoints.js';

const t0 = 1_699_999_200_000; // a whole hour
const raw = (at: number, value: number | null): WeightedValue => ({ at, value, n: value === null ? 0 : 1 });

/** Polls every 5 s from t0 for `minutes`, except from `stopAt` for `stopMs`. */
function polls(minutes: number, stopAt: number, stopMs: number, value = (i: number) => i % 7): WeightedValue[] {
  const out: WeightedValue[] = [];
  for (let i = 0, at = t0; at < t0 + minutes * 60_000; i++, at += 5000) {
    if (at >= stopAt && at < stopAt + stopMs) continue;
    out.push(raw(at, value(i)));
  }
  return out;
}

describe('pointsWithGaps', () => {
  it('polling stopped for 10 min: one null right after the last poll, never a zero', () => {
    const samples = polls(20, t0 + 5 * 60_000, 10 * 60_000, () => 4);
    const points = pointsWithGaps(samples, 5000, t0 + 20 * 60_000);
    const nulls = points.filter((p) => p.value === null);
    expect(nulls).toEqual([{ at: t0 + 5 * 60_000 - 5000 + 5000, value: null }]);
    expect(points.filter((p) => p.value === 0)).toEqual([]);
    expect(points.length).toBe(samples.length + 1);
  });

  it('jitter below 2.5 intervals is not a gap; 13 s at 5 s is', () => {
    const samples = [raw(t0, 1), raw(t0 + 7000, 2), raw(t0 + 19_400, 3), raw(t0 + 32_500, 4)];
    expect(pointsWithGaps(samples, 5000, t0 + 32_500)).toEqual([
      { at: t0, value: 1 }, { at: t0 + 7000, value: 2 }, { at: t0 + 19_400, value: 3 },
      { at: t0 + 24_400, value: null }, { at: t0 + 32_500, value: 4 },
    ]);
  });

  it('a trailing silence (the app was closed) ends the line with a null', () => {
    expect(pointsWithGaps([raw(t0, 3)], 5000, t0 + 60_000)).toEqual([{ at: t0, value: 3 }, { at: t0 + 5000, value: null }]);
    expect(pointsWithGaps([raw(t0, 3)], 5000, t0 + 12_000)).toEqual([{ at: t0, value: 3 }]);
  });
});

describe('downsample', () => {
  it('polling stopped for 10 min: the buckets of the silence are null, the others the max', () => {
    const samples = polls(30, t0 + 10 * 60_000, 10 * 60_000, (i) => i);
    const points = downsample(samples, t0, t0 + 30 * 60_000 - 1, 60_000, 'max');
    expect(points).toHaveLength(30);
    expect(points.slice(10, 20).map((p) => p.value)).toEqual(Array(10).fill(null));
    expect(points[0]).toEqual({ at: t0, value: 11 });
    expect(points[20]).toEqual({ at: t0 + 20 * 60_000, value: 251 });
    expect(points.every((p) => p.value !== 0 || p.at === t0)).toBe(true);
  });

  it('buckets are epoch-aligned: the first starts at or before fromAt, every one is listed', () => {
    const points = downsample([raw(t0 + 61_000, 5)], t0 + 30_000, t0 + 150_000, 60_000, 'avg');
    expect(points.map((p) => p.at)).toEqual([t0, t0 + 60_000, t0 + 120_000]);
    expect(points.map((p) => p.value)).toEqual([null, 5, null]);
  });

  it('weights rollup rows by their sample count', () => {
    const rows: WeightedValue[] = [{ at: t0, value: 10, n: 12 }, { at: t0 + 60_000, value: 4, n: 6 }, { at: t0 + 120_000, value: null, n: 0 }];
    expect(downsample(rows, t0, t0 + 179_999, 180_000, 'avg')).toEqual([{ at: t0, value: 8 }]);
  });
});
