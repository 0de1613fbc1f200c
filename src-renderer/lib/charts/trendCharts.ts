import type { HistoryView, QueueHistoryFigure } from '../../../src-main/contract/history.js';
import { complement, summarize, withGaps, type ChartPoint } from './gaps.js';

/** How a chart's values read: they pick the axis and tooltip format. */
export type ChartUnit = 'count' | 'rate' | 'duration' | 'ratio';

export interface TrendLine {
  figure: QueueHistoryFigure;
  label: string;
  /** `complement`: drawn as 1 − value (the failure ratio from the success ratio). */
  transform?: 'complement';
}

export interface TrendChartSpec {
  key: string;
  title: string;
  /** What the chart means, in one line under its title. */
  hint: string;
  unit: ChartUnit;
  lines: TrendLine[];
}

/** The trend charts of a queue, in the order they are shown. */
export const trendChartSpecs: readonly TrendChartSpec[] = [
  { key: 'waiting', title: 'Waiting', hint: 'ready to run now', unit: 'count', lines: [{ figure: 'waiting', label: 'waiting' }] },
  { key: 'throughput', title: 'Throughput', hint: 'tasks finished per minute', unit: 'rate', lines: [{ figure: 'throughputPerMin', label: 'finished / min' }] },
  {
    key: 'waitLatency', title: 'Wait latency', hint: 'enqueue → start', unit: 'duration',
    lines: [{ figure: 'waitLatencyP50Ms', label: 'p50' }, { figure: 'waitLatencyP95Ms', label: 'p95' }],
  },
  {
    key: 'runLatency', title: 'Run latency', hint: 'start → finish', unit: 'duration',
    lines: [{ figure: 'runLatencyP50Ms', label: 'p50' }, { figure: 'runLatencyP95Ms', label: 'p95' }],
  },
  {
    key: 'failureRatio', title: 'Failure ratio', hint: 'failed / finished (retries are not failures)', unit: 'ratio',
    lines: [{ figure: 'successRatio', label: 'failed', transform: 'complement' }],
  },
];

/** Every figure the trend charts ask the history for. */
export const trendFigures: QueueHistoryFigure[] = [...new Set(trendChartSpecs.flatMap((spec) => spec.lines.map((line) => line.figure)))];

export interface PreparedLine {
  label: string;
  points: ChartPoint[];
}

export interface PreparedChart {
  spec: TrendChartSpec;
  fromAt: number;
  toAt: number;
  lines: PreparedLine[];
  /** Over every line: `null` when nothing at all was recorded in the range. */
  summary: ReturnType<typeof summarize>;
}

/**
 * One chart's data from a history answer: the series of one queue namespace, in time order,
 * gaps as `null` points, transformed as the spec says. A line whose figure has no series (never
 * recorded) is empty, not zero.
 */
export function prepareTrendChart(spec: TrendChartSpec, view: HistoryView, namespace: string | null): PreparedChart {
  const lines = spec.lines.map((line): PreparedLine => {
    const series = view.series.find((s) => s.figure === line.figure && (namespace === null || s.namespace === namespace));
    const raw = series?.points ?? [];
    const points = withGaps(line.transform === 'complement' ? complement(raw) : raw, view.bucketMs);
    return { label: line.label, points };
  });
  const all = lines.flatMap((line) => line.points);
  return { spec, fromAt: view.fromAt, toAt: view.toAt, lines, summary: summarize(all) };
}
