import { describe, expect, it } from 'vitest';
import { aggregateValues, bucketStart, rollupValues, type WeightedValue } from '../../../src-main/core/history/bucketAggregate.js';

const raw = (at: number, value: number | null): WeightedValue => ({ at, value, n: value === null ? 0 : 1 });

describe('aggregateValues', () => {
  it('max, min and a weighted average, skipping nulls', () => {
    const values = [raw(0, 4), raw(1, null), raw(2, 10), raw(3, 1)];
    expect(aggregateValues(values, 'max')).toEqual({ value: 10, n: 3 });
    expect(aggregateValues(values, 'min')).toEqual({ value: 1, n: 3 });
    expect(aggregateValues(values, 'avg')).toEqual({ value: 5, n: 3 });
    // Rollup rows carry their sample count: (2×12 + 1×3) / 13, not (2 + 3) / 2.
    expect(aggregateValues([{ at: 0, value: 2, n: 12 }, { at: 60, value: 3, n: 1 }], 'avg').value).toBeCloseTo(27 / 13, 12);
  });

  it('is null when nothing holds a number (not zero)', () => {
    expect(aggregateValues([], 'max')).toEqual({ value: null, n: 0 });
    expect(aggregateValues([raw(0, null), raw(5, null)], 'avg')).toEqual({ value: null, n: 0 });
  });

  it('keeps a zero as a zero', () => {
    expect(aggregateValues([raw(0, 0), raw(1, 0)], 'max')).toEqual({ value: 0, n: 2 });
  });
});

describe('rollupValues', () => {
  it('raw → 1 min: one row per minute that has samples, epoch-aligned, none for a silent minute', () => {
    const t0 = 1_700_000_040_000; // a whole minute
    expect(bucketStart(t0 + 59_999, 60_000)).toBe(t0);
    const samples = [raw(t0, 3), raw(t0 + 5_000, 7), raw(t0 + 55_000, 2), raw(t0 + 180_000, 9), raw(t0 + 60_000, null)];
    expect(rollupValues(samples, 60_000, 'max')).toEqual([
      { at: t0, value: 7, n: 3 },
      { at: t0 + 60_000, value: null, n: 0 },
      { at: t0 + 180_000, value: 9, n: 1 },
    ]);
  });

  it('1 min → 1 h equals raw → 1 h directly, for every aggregate', () => {
    const t0 = 1_699_999_200_000; // a whole hour
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const samples: WeightedValue[] = [];
    for (let at = t0; at < t0 + 3 * 3_600_000; at += 5_000) {
      if (at > t0 + 4_000_000 && at < t0 + 4_600_000) continue; // polling stopped for 10 min
      samples.push(raw(at, random() < 0.1 ? null : Math.round(random() * 1000)));
    }
    for (const aggregate of ['max', 'min', 'avg'] as const) {
      const direct = rollupValues(samples, 3_600_000, aggregate);
      const viaMinutes = rollupValues(rollupValues(samples, 60_000, aggregate), 3_600_000, aggregate);
      expect(viaMinutes.map((r) => r.at)).toEqual(direct.map((r) => r.at));
      viaMinutes.forEach((r, i) => {
        expect(r.n).toBe(direct[i]!.n);
        expect(r.value).toBeCloseTo(direct[i]!.value!, 9);
      });
    }
  });
});
