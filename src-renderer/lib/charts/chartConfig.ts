import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { formatDuration } from '../format/durations.js';
import { formatCount, formatRate, formatRatio } from '../format/numbers.js';
import { formatAxisTime, formatLocalTime } from '../format/times.js';
import { timeTicks } from './timeTicks.js';
import type { ChartUnit, PreparedChart } from './trendCharts.js';

/** Colours read from the page's theme (CSS variables), so light and dark both read well. */
export interface ChartPalette {
  text: string;
  muted: string;
  grid: string;
  /** One per line, in order. */
  lines: string[];
  forecast: string;
}

/** A value in a chart's unit, for its axis and tooltip. */
export function formatChartValue(unit: ChartUnit, value: number): string {
  switch (unit) {
    case 'count': return formatCount(value);
    case 'rate': return formatRate(value);
    case 'duration': return formatDuration(value);
    case 'ratio': return formatRatio(value);
  }
}

/**
 * An axis label: like {@link formatChartValue}, but fine enough that neighbouring ticks differ
 * (`1.5 ms`, not two `2 ms`).
 */
export function formatAxisValue(unit: ChartUnit, value: number): string {
  if (unit === 'duration' && value !== 0 && Math.abs(value) < 10) return `${Number(value.toFixed(1))} ms`;
  return formatChartValue(unit, value);
}

/** Lines with at most this many recorded points show each point: a short history stays visible. */
export const fewPoints = 24;

/**
 * The radius of each point: 0 on a long line (the line says it all), small when a line has few
 * points, and always visible for a point alone between gaps, which draws no line at all.
 */
export function pointRadii(points: ReadonlyArray<{ y: number | null }>): number[] {
  const recorded = points.filter((p) => p.y !== null).length;
  return points.map((point, i) => {
    if (point.y === null) return 0;
    const alone = (points[i - 1]?.y ?? null) === null && (points[i + 1]?.y ?? null) === null;
    return alone ? 2.5 : recorded <= fewPoints ? 2 : 0;
  });
}

export interface ForecastLine {
  label: string;
  points: Array<{ x: number; y: number }>;
}

/**
 * The chart.js configuration of a prepared chart. Gaps stay gaps (`spanGaps: false` on every
 * line, `null` points kept, `parsing: false`); time runs on a linear axis of epoch ms labelled
 * in local time (no date adapter needed); the y axis starts at 0 so a small change does not
 * look like a cliff; a forecast, when given, is a dashed line that may run past the range.
 */
export function buildChartConfig(chart: PreparedChart, palette: ChartPalette, forecast: ForecastLine | null = null): ChartConfiguration<'line', Array<{ x: number; y: number | null }>> {
  const { unit } = chart.spec;
  const span = chart.toAt - chart.fromAt;
  const datasets: Array<ChartDataset<'line', Array<{ x: number; y: number | null }>>> = chart.lines.map((line, i) => ({
    label: line.label,
    data: line.points,
    spanGaps: false,
    borderColor: palette.lines[i % palette.lines.length],
    backgroundColor: palette.lines[i % palette.lines.length],
    borderWidth: 1.5,
    pointRadius: pointRadii(line.points),
    pointHitRadius: 6,
    tension: 0,
  }));
  let maxX = chart.toAt;
  if (forecast !== null) {
    // A forecast past the range is shown up to a quarter of the range further, not to its end.
    const limit = chart.toAt + span / 4;
    const points = clipLine(forecast.points, limit);
    maxX = Math.max(maxX, ...points.map((p) => p.x));
    datasets.push({
      label: forecast.label, data: points, spanGaps: false, borderColor: palette.forecast, backgroundColor: palette.forecast,
      borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, tension: 0,
    });
  }
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear', min: chart.fromAt, max: maxX,
          // Ticks on round local times (chart.js alone would pick round numbers of epoch ms).
          afterBuildTicks: (axis) => {
            axis.ticks = timeTicks(chart.fromAt, maxX, 5).map((value) => ({ value }));
          },
          ticks: { color: palette.muted, maxRotation: 0, autoSkip: true, callback: (value) => formatAxisTime(Number(value), span) },
          grid: { color: palette.grid },
        },
        y: {
          type: 'linear', beginAtZero: true,
          ...(unit === 'ratio' ? { suggestedMax: 0.05 } : {}),
          ticks: {
            color: palette.muted, maxTicksLimit: 5, callback: (value) => formatAxisValue(unit, Number(value)),
            // Counts are whole: no tick at 0.5 waiting.
            ...(unit === 'count' ? { precision: 0 } : {}),
          },
          grid: { color: palette.grid },
        },
      },
      plugins: {
        legend: { display: datasets.length > 1, labels: { color: palette.text, boxWidth: 12, boxHeight: 2 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] === undefined ? '' : formatLocalTime(items[0].parsed.x ?? 0)),
            label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? 'nothing recorded' : formatChartValue(unit, item.parsed.y)}`,
          },
        },
      },
    },
  };
}

/** A two-point line cut at `limitX` (its value there interpolated). */
export function clipLine(points: Array<{ x: number; y: number }>, limitX: number): Array<{ x: number; y: number }> {
  const out: Array<{ x: number; y: number }> = [];
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    if (point.x <= limitX) {
      out.push(point);
      continue;
    }
    const before = points[i - 1];
    if (before !== undefined && before.x < limitX) {
      const t = (limitX - before.x) / (point.x - before.x);
      out.push({ x: limitX, y: before.y + t * (point.y - before.y) });
    }
    break;
  }
  return out;
}
