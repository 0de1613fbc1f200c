import { describe, expect, it } from 'vitest';
import { percentilesOf } from '../../../src-main/core/metrics/percentiles.js';

describe('percentilesOf', () => {
  it('is null without values, not zero', () => {
    expect(percentilesOf([])).toBeNull();
  });
  it('uses the nearest rank, so each percentile is an observed value', () => {
    expect(percentilesOf([5])).toEqual({ p50: 5, p95: 5 });
    expect(percentilesOf([4, 1, 3, 2])).toEqual({ p50: 2, p95: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentilesOf(hundred)).toEqual({ p50: 50, p95: 95 });
  });
});
