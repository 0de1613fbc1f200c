import type { ComparisonOp } from '../../contract/alerts.js';

/** One reading of a figure over time. */
export interface TrendPoint {
  at: number;
  value: number;
}

/** Fewer points, or points closer together, say nothing reliable about a trend. */
export const minTrendPoints = 3;
export const minTrendSpanMs = 30_000;

/**
 * The least-squares slope (per ms) of the points within `spanMs` before `now`; `null` with
 * fewer than {@link minTrendPoints} points or when they span less than {@link minTrendSpanMs}.
 */
export function trendSlope(points: readonly TrendPoint[], now: number, spanMs: number): number | null {
  const recent = points.filter((p) => p.at <= now && p.at >= now - spanMs);
  if (recent.length < minTrendPoints || recent.at(-1)!.at - recent[0]!.at < minTrendSpanMs) return null;
  const n = recent.length;
  const meanT = recent.reduce((s, p) => s + p.at, 0) / n;
  const meanV = recent.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of recent) {
    num += (p.at - meanT) * (p.value - meanV);
    den += (p.at - meanT) ** 2;
  }
  return den === 0 ? null : num / den;
}

/**
 * Time from `now` until the figure, going on at its recent slope from its latest reading,
 * satisfies `op threshold`: `0` when the latest reading already does; `null` when the trend is
 * unknown, heads the other way, or `op` is an equality. Pure: the points and `now` are given.
 */
export function timeUntilCrossing(points: readonly TrendPoint[], op: ComparisonOp, threshold: number, now: number, spanMs: number): number | null {
  const last = points.filter((p) => p.at <= now).at(-1);
  if (!last || op === '==' || op === '!=') return null;
  const rising = op === '>' || op === '>=';
  const across = rising ? (op === '>' ? last.value > threshold : last.value >= threshold)
    : (op === '<' ? last.value < threshold : last.value <= threshold);
  if (across) return 0;
  const slope = trendSlope(points, now, spanMs);
  if (slope === null || (rising ? slope <= 0 : slope >= 0)) return null;
  const crossAt = last.at + (threshold - last.value) / slope;
  return Math.max(0, Math.round(crossAt - now));
}

/** Time until a count reaches zero at its recent least-squares rate; `0` when already zero. */
export function forecastDrainMs(points: readonly TrendPoint[], now: number, spanMs: number): number | null {
  return timeUntilCrossing(points, '<=', 0, now, spanMs);
}
