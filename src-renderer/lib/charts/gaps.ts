import type { HistoryPoint } from '../../../src-main/contract/history.js';

/** A chart point: `y` is `null` where nothing was recorded, which chart.js draws as a gap. */
export interface ChartPoint {
  x: number;
  y: number | null;
}

/** A stretch without points longer than this many steps is a gap (the store's own rule for raw samples). */
export const gapSteps = 2.5;

/**
 * The points in time order, with a `null` point put into every stretch longer than
 * {@link gapSteps} steps, so that a line never bridges a time nothing was recorded (a stopped
 * monitor, an unreadable broker): a gap is drawn as a gap, never as a slope and never as zero.
 * `stepMs` is the bucket width (or poll interval); when unknown, the median spacing is used.
 */
export function withGaps(points: readonly HistoryPoint[], stepMs: number | null): ChartPoint[] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const step = stepMs ?? medianSpacing(sorted);
  const out: ChartPoint[] = [];
  let previous: HistoryPoint | undefined;
  for (const point of sorted) {
    if (previous !== undefined && step !== null && step > 0 && point.at - previous.at > gapSteps * step
      && previous.value !== null && point.value !== null) {
      out.push({ x: previous.at + step, y: null });
    }
    out.push({ x: point.at, y: point.value });
    previous = point;
  }
  return out;
}

/** The middle spacing of consecutive points; `null` with fewer than two. */
export function medianSpacing(sorted: readonly HistoryPoint[]): number | null {
  const spacings: number[] = [];
  for (let i = 1; i < sorted.length; i++) spacings.push(sorted[i]!.at - sorted[i - 1]!.at);
  if (spacings.length === 0) return null;
  spacings.sort((a, b) => a - b);
  return spacings[Math.floor(spacings.length / 2)]!;
}

/** 1 − value for each point (failure ratio from success ratio); a `null` stays `null`. */
export function complement(points: readonly HistoryPoint[]): HistoryPoint[] {
  return points.map((point) => ({ at: point.at, value: point.value === null ? null : 1 - point.value }));
}

/** Lowest, highest and latest recorded value; `null` when nothing was recorded. */
export function summarize(points: readonly ChartPoint[]): { min: number; max: number; last: number; lastAt: number } | null {
  let result: { min: number; max: number; last: number; lastAt: number } | null = null;
  for (const point of points) {
    if (point.y === null) continue;
    if (result === null) result = { min: point.y, max: point.y, last: point.y, lastAt: point.x };
    else {
      result.min = Math.min(result.min, point.y);
      result.max = Math.max(result.max, point.y);
      if (point.x >= result.lastAt) [result.last, result.lastAt] = [point.y, point.x];
    }
  }
  return result;
}
