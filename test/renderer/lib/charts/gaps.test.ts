import { describe, expect, it } from 'vitest';
import { complement, medianSpacing, summarize, withGaps } from '../../../../src-renderer/lib/charts/gaps.js';

const s = 1_000;

describe('withGaps', () => {
  it('keeps points in time order and a recorded null as a null', () => {
    expect(withGaps([{ at: 10 * s, value: 2 }, { at: 0, value: 1 }, { at: 5 * s, value: null }], 5 * s)).toEqual([
      { x: 0, y: 1 }, { x: 5 * s, y: null }, { x: 10 * s, y: 2 },
    ]);
  });

  it('puts a null into a stretch longer than 2.5 steps, never a zero', () => {
    // polls every 5 s: 0 5 10, then the monitor stopped until 60
    const points = [0, 5, 10, 60, 65].map((t) => ({ at: t * s, value: 4 }));
    expect(withGaps(points, 5 * s)).toEqual([
      { x: 0, y: 4 }, { x: 5 * s, y: 4 }, { x: 10 * s, y: 4 }, { x: 15 * s, y: null }, { x: 60 * s, y: 4 }, { x: 65 * s, y: 4 },
    ]);
  });

  it('treats exactly 2.5 steps as no gap (a late poll)', () => {
    expect(withGaps([{ at: 0, value: 1 }, { at: 12.5 * s, value: 1 }], 5 * s).map((p) => p.y)).toEqual([1, 1]);
  });

  it('infers the step from the median spacing when none is given', () => {
    const points = [0, 60, 120, 180, 600, 660].map((t) => ({ at: t * s, value: t }));
    expect(medianSpacing(points)).toBe(60 * s);
    expect(withGaps(points, null).map((p) => p.y)).toEqual([0, 60, 120, 180, null, 600, 660]);
  });

  it('returns nothing for nothing, and a single point as it is', () => {
    expect(withGaps([], 5 * s)).toEqual([]);
    expect(withGaps([{ at: 7, value: 3 }], null)).toEqual([{ x: 7, y: 3 }]);
  });
});

describe('complement and summarize', () => {
  it('turns a success ratio into a failure ratio, keeping nulls', () => {
    expect(complement([{ at: 1, value: 1 }, { at: 2, value: 0.75 }, { at: 3, value: null }])).toEqual([
      { at: 1, value: 0 }, { at: 2, value: 0.25 }, { at: 3, value: null },
    ]);
  });

  it('gives min, max and the latest recorded value, or null when nothing was recorded', () => {
    expect(summarize([{ x: 1, y: 5 }, { x: 2, y: null }, { x: 3, y: 0 }, { x: 4, y: 9 }, { x: 5, y: null }])).toEqual({ min: 0, max: 9, last: 9, lastAt: 4 });
    expect(summarize([{ x: 1, y: null }])).toBeNull();
  });
});
