import type { HistoryPoint } from '../../../src-main/contract/history.js';
import { withGaps } from './gaps.js';

export interface SparklineBox {
  fromAt: number;
  toAt: number;
  width: number;
  height: number;
  /** Bucket width or poll interval for gap detection; `null` to infer it. */
  stepMs: number | null;
}

export interface Sparkline {
  /** SVG path: one `M … L …` run per stretch without a gap; `''` when nothing was recorded. */
  d: string;
  /** Highest value recorded (the top of the box); `null` when nothing was. */
  max: number | null;
  /** The latest value recorded; `null` when nothing was. */
  last: number | null;
  /** Runs drawn (a gap starts a new one). */
  runs: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * A sparkline of counts: time across, 0 at the bottom and the range's highest value at the top.
 * A `null` (and a stretch without points) breaks the line; a lone point between gaps is drawn
 * as a short dash so that it stays visible.
 */
export function sparklinePath(points: readonly HistoryPoint[], box: SparklineBox): Sparkline {
  const inRange = points.filter((point) => point.at >= box.fromAt && point.at <= box.toAt);
  const chart = withGaps(inRange, box.stepMs);
  const values = chart.flatMap((point) => (point.y === null ? [] : [point.y]));
  if (values.length === 0) return { d: '', max: null, last: null, runs: 0 };
  const max = Math.max(...values);
  const top = max > 0 ? max : 1;
  const span = Math.max(1, box.toAt - box.fromAt);
  const x = (at: number): number => round(((at - box.fromAt) / span) * box.width);
  const y = (value: number): number => round(box.height - (Math.max(0, value) / top) * (box.height - 2) - 1);
  const parts: string[] = [];
  let run: string[] = [];
  let runs = 0;
  const flush = (): void => {
    if (run.length === 1) parts.push(`${run[0]!} h1.5`);
    else if (run.length > 1) parts.push(run.join(' '));
    if (run.length > 0) runs++;
    run = [];
  };
  for (const point of chart) {
    if (point.y === null) {
      flush();
      continue;
    }
    run.push(`${run.length === 0 ? 'M' : 'L'}${x(point.x)} ${y(point.y)}`);
  }
  flush();
  return { d: parts.join(' '), max, last: values[values.length - 1]!, runs };
}
