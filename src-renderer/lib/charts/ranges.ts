/** The spans a trend chart can show, each with how many points it asks for at most. */
export type ChartRangeKey = '15m' | '1h' | '24h' | '7d';

export interface ChartRange {
  key: ChartRangeKey;
  /** Shown on the range switch. */
  label: string;
  spanMs: number;
  /** Points per series asked of the history (the store downsamples longer ranges). */
  maxPoints: number;
}

const minute = 60_000;

export const chartRanges: readonly ChartRange[] = [
  { key: '15m', label: '15 min', spanMs: 15 * minute, maxPoints: 300 },
  { key: '1h', label: '1 h', spanMs: 60 * minute, maxPoints: 720 },
  { key: '24h', label: '24 h', spanMs: 24 * 60 * minute, maxPoints: 720 },
  { key: '7d', label: '7 d', spanMs: 7 * 24 * 60 * minute, maxPoints: 840 },
];

export function chartRange(key: ChartRangeKey): ChartRange {
  return chartRanges.find((range) => range.key === key) ?? chartRanges[1]!;
}

/** The window ending at `now` that a range covers, as the history query wants it. */
export function rangeWindow(key: ChartRangeKey, now: number): { fromAt: number; toAt: number; maxPoints: number } {
  const range = chartRange(key);
  return { fromAt: now - range.spanMs, toAt: now, maxPoints: range.maxPoints };
}

export function isChartRangeKey(value: string): value is ChartRangeKey {
  return chartRanges.some((range) => range.key === value);
}
