import type { HistoryAggregate, HistoryPoint } from '../../contract/history.js';
import { aggregateValues, bucketStart, type WeightedValue } from './bucketAggregate.js';
import { gapFactor } from './historyPlan.js';

/**
 * Raw samples as chart points, one by one, with a `null` point one interval after any sample
 * followed by silence longer than 2.5 poll intervals (polling stopped, the app was closed, the
 * broker could not be read), and after the last sample when the range goes on past such a
 * silence: the chart draws a gap there, never a line through it, never a zero.
 */
export function pointsWithGaps(samples: readonly WeightedValue[], pollIntervalMs: number, toAt: number): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  const limit = gapFactor * pollIntervalMs;
  for (const [i, s] of samples.entries()) {
    const previous = samples[i - 1];
    if (previous && s.at - previous.at > limit) points.push({ at: previous.at + pollIntervalMs, value: null });
    points.push({ at: s.at, value: s.n > 0 ? s.value : null });
  }
  const last = samples.at(-1);
  if (last && toAt - last.at > limit) points.push({ at: last.at + pollIntervalMs, value: null });
  return points;
}

/**
 * Downsampling: every epoch-aligned bucket of `bucketMs` that [fromAt, toAt] touches becomes one
 * point at the bucket's start, its value the figure's aggregate of the rows in it (rows are raw
 * samples or rollups: weights keep averages exact). A bucket without a sample is `null`.
 * `rows` must be sorted by time.
 */
export function downsample(rows: readonly WeightedValue[], fromAt: number, toAt: number, bucketMs: number, aggregate: HistoryAggregate): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  let i = 0;
  while (i < rows.length && rows[i]!.at < bucketStart(fromAt, bucketMs)) i += 1;
  for (let start = bucketStart(fromAt, bucketMs); start <= toAt; start += bucketMs) {
    const end = start + bucketMs;
    const from = i;
    while (i < rows.length && rows[i]!.at < end) i += 1;
    points.push({ at: start, value: i > from ? aggregateValues(rows.slice(from, i), aggregate).value : null });
  }
  return points;
}
