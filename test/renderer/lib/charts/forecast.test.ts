import { describe, expect, it } from 'vitest';
import { forecastDrain } from '../../../../src-renderer/lib/charts/forecast.js';

const min = 60_000;
const now = 1_000 * min;
/** `values` at 1-minute steps ending at now. */
const series = (...values: Array<number | null>) => values.map((value, i) => ({ at: now - (values.length - 1 - i) * min, value }));

describe('forecastDrain', () => {
  it('waiting 100 90 80 70 at 1-minute steps: −10/min, empty 7 min from now', () => {
    const forecast = forecastDrain(series(100, 90, 80, 70), now, 15 * min);
    expect(forecast).toEqual({ kind: 'draining', perMin: -10, emptyAt: now + 7 * min, line: [{ x: now, y: 70 }, { x: now + 7 * min, y: 0 }] });
  });

  it('skips gaps instead of reading them as zeros', () => {
    const forecast = forecastDrain(series(100, null, 80, null, 60), now, 15 * min);
    expect(forecast.kind === 'draining' && [forecast.perMin, forecast.emptyAt]).toEqual([-10, now + 6 * min]);
  });

  it('rising or flat: not draining, with the pace', () => {
    expect(forecastDrain(series(10, 20, 30), now, 15 * min)).toEqual({ kind: 'notDraining', perMin: 10 });
    expect(forecastDrain(series(5, 5, 5), now, 15 * min)).toEqual({ kind: 'notDraining', perMin: 0 });
  });

  it('nothing waits now: empty', () => {
    expect(forecastDrain(series(30, 10, 0), now, 15 * min)).toEqual({ kind: 'empty' });
  });

  it('fewer than 3 recorded points in the span: unknown', () => {
    expect(forecastDrain(series(100, 90, null, null), now, 15 * min)).toEqual({ kind: 'unknown', points: 2 });
    // points older than the span do not count
    expect(forecastDrain(series(100, 90, 80, 70), now, 90_000)).toEqual({ kind: 'unknown', points: 2 });
  });
});
