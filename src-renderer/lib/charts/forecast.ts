import type { HistoryPoint } from '../../../src-main/contract/history.js';

/** A straight-line trend of `waiting` and what it says about emptying the queue. */
export type DrainForecast =
  /** Too few points in the span to tell a trend. */
  | { kind: 'unknown'; points: number }
  /** Nothing waits now (the latest point is 0). */
  | { kind: 'empty' }
  /** The trend is flat or rising: at this pace the queue does not drain. */
  | { kind: 'notDraining'; perMin: number }
  /** The trend reaches 0 at `emptyAt`; `line` runs from the fit at `now` to that point. */
  | { kind: 'draining'; perMin: number; emptyAt: number; line: [{ x: number; y: number }, { x: number; y: number }] };

/** Fewest recorded points the trend is fitted on. */
export const minForecastPoints = 3;

/**
 * Least-squares line through the recorded `waiting` points of the last `spanMs` before `now`
 * (gaps skipped, never read as zeros), and when it reaches zero. Time is passed in.
 */
export function forecastDrain(points: readonly HistoryPoint[], now: number, spanMs: number): DrainForecast {
  const recent = points.filter((p): p is { at: number; value: number } => p.value !== null && p.at <= now && p.at >= now - spanMs)
    .sort((a, b) => a.at - b.at);
  const latest = recent[recent.length - 1];
  if (latest !== undefined && latest.value === 0) return { kind: 'empty' };
  if (recent.length < minForecastPoints) return { kind: 'unknown', points: recent.length };
  // Centred on the first point's time so the sums stay well inside double precision.
  const t0 = recent[0]!.at;
  const n = recent.length;
  let sumX = 0, sumY = 0, sumXX = 0, sumXY = 0;
  for (const { at, value } of recent) {
    const x = at - t0;
    sumX += x;
    sumY += value;
    sumXX += x * x;
    sumXY += x * value;
  }
  const denominator = n * sumXX - sumX * sumX;
  if (denominator === 0) return { kind: 'unknown', points: n };
  const slope = (n * sumXY - sumX * sumY) / denominator;
  const intercept = (sumY - slope * sumX) / n;
  const perMin = slope * 60_000;
  if (slope >= 0) return { kind: 'notDraining', perMin };
  const fitNow = Math.max(0, intercept + slope * (now - t0));
  const emptyAt = now + fitNow / -slope;
  return { kind: 'draining', perMin, emptyAt, line: [{ x: now, y: fitNow }, { x: emptyAt, y: 0 }] };
}
