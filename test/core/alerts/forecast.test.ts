import { describe, expect, it } from 'vitest';
import { forecastDrainMs, timeUntilCrossing, trendSlope } from '../../../src-main/core/alerts/forecast.js';

const minute = 60_000;
const series = (values: number[], stepMs = minute) => values.map((value, i) => ({ at: i * stepMs, value }));

describe('forecast', () => {
  it('drain ETA: 1000 900 800 at 1 min steps drains in 8 min', () => {
    expect(forecastDrainMs(series([1000, 900, 800]), 2 * minute, 10 * minute)).toBe(8 * minute);
  });

  it('drain ETA: already empty is 0; growing or flat is unknown; two points are too few', () => {
    expect(forecastDrainMs(series([5, 3, 0]), 2 * minute, 10 * minute)).toBe(0);
    expect(forecastDrainMs(series([100, 200, 300]), 2 * minute, 10 * minute)).toBeNull();
    expect(forecastDrainMs(series([100, 100, 100]), 2 * minute, 10 * minute)).toBeNull();
    expect(forecastDrainMs(series([1000, 900]), minute, 10 * minute)).toBeNull();
  });

  it('points closer together than 30 s say nothing about a trend', () => {
    expect(trendSlope(series([0, 10, 20], 10_000), 20_000, 10 * minute)).toBeNull();
    expect(trendSlope(series([0, 10, 20], 15_000), 30_000, 10 * minute)).toBeCloseTo(10 / 15_000, 12);
  });

  it('threshold crossing: 400 500 600 rising 100/min passes 1000 in 4 min, measured from now', () => {
    expect(timeUntilCrossing(series([400, 500, 600]), '>', 1000, 2 * minute, 10 * minute)).toBe(4 * minute);
    // Read 30 s after the last point: 30 s of the way is already behind.
    expect(timeUntilCrossing(series([400, 500, 600]), '>', 1000, 2 * minute + 30_000, 10 * minute)).toBe(3.5 * minute);
  });

  it('only the span counts: an old surge outside it is ignored', () => {
    const points = [{ at: 0, value: 0 }, { at: minute, value: 5000 }, ...series([600, 600, 600]).map((p) => ({ ...p, at: p.at + 20 * minute }))];
    expect(timeUntilCrossing(points, '>', 1000, 22 * minute, 10 * minute)).toBeNull();
  });

  it('equality never forecasts; falling towards a lower bound does', () => {
    expect(timeUntilCrossing(series([1, 2, 3]), '==', 5, 2 * minute, 10 * minute)).toBeNull();
    expect(timeUntilCrossing(series([30, 20, 10]), '<', 5, 2 * minute, 10 * minute)).toBe(30_000);
  });
});
