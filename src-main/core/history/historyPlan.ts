import type { HistoryResolution, HistoryRetention } from '../../contract/history.js';

export const minuteMs = 60_000;
export const hourMs = 3_600_000;

/** A sample interval longer than this many poll intervals is a gap in polling. */
export const gapFactor = 2.5;

/**
 * A resolution still answers a range starting up to this much before `now − retention`: pruning
 * runs once a minute, so those rows are still there, and a client that computed `fromAt` a moment
 * before the store's `now` still gets the raw samples of its "last 24 h".
 */
export const retentionSlackMs = 60_000;

/** Default cap of points per series. */
export const defaultMaxPoints = 1000;

/**
 * Most stored rows one series may read to answer a query: about 7 h of raw samples at the
 * default 5 s. Longer ranges read the 1 min rollups, which keep every spike all the same (a
 * count's rollup is its maximum, a rate's its weighted mean): a 24 h chart reads 1,440 rows
 * instead of 17,280. bench/historyBench.ts measured the 17,280 raw rows of one queue's day at
 * 11–170 ms (2 busy cores), over the 30 ms target; the rollups answer it in a few ms.
 */
export const defaultRowBudget = 5_000;

/** The same for the 1 min rollups: a week (10,080 rows) is read from them, not from the hours. */
export const rollupRowBudget = 12_000;

export interface HistoryPlanInput {
  fromAt: number;
  toAt: number;
  maxPoints: number;
  /** The time the query is answered at: retention is counted back from it. */
  now: number;
  retention: HistoryRetention;
  pollIntervalMs: number;
  rowBudget?: number;
}

export interface HistoryPlan {
  resolution: HistoryResolution;
  /** Interval of the stored rows: the poll interval for raw, else 1 min or 1 h. */
  stepMs: number;
  /** Width of an output point; `null` when raw samples are returned one by one. */
  bucketMs: number | null;
}

/**
 * Which resolution answers a query, and how wide its points are. The finest resolution whose
 * retention reaches back to `fromAt` and whose rows over the range stay within the row budget;
 * the 1 h rollups when none does. Points are epoch-aligned buckets of a whole number of steps,
 * as narrow as keeps the count ≤ `maxPoints`. Raw samples are returned as they are when they
 * fit in `maxPoints`; bucketed raw samples are at least three poll intervals wide, so a bucket
 * without a sample is a real gap (longer than 2.5 intervals) and never polling jitter.
 */
export function planHistoryQuery(input: HistoryPlanInput): HistoryPlan {
  const { fromAt, toAt, now, retention, pollIntervalMs } = input;
  const maxPoints = Math.max(2, Math.floor(input.maxPoints));
  const rowBudget = Math.max(maxPoints, input.rowBudget ?? defaultRowBudget);
  const minuteBudget = Math.max(rowBudget, rollupRowBudget);
  const span = Math.max(0, toAt - fromAt);
  const candidates: { resolution: HistoryResolution; stepMs: number; keptMs: number; budget: number }[] = [
    { resolution: 'raw', stepMs: pollIntervalMs, keptMs: retention.rawMs, budget: rowBudget },
    { resolution: '1m', stepMs: minuteMs, keptMs: retention.minuteMs, budget: minuteBudget },
    { resolution: '1h', stepMs: hourMs, keptMs: retention.hourMs, budget: Infinity },
  ];
  const chosen = candidates.find((c) => fromAt >= now - c.keptMs - retentionSlackMs && span / c.stepMs <= c.budget) ?? candidates[2]!;
  const { resolution, stepMs } = chosen;
  if (resolution === 'raw' && span / stepMs + 1 <= maxPoints * 0.8) return { resolution, stepMs, bucketMs: null };
  let steps = Math.max(resolution === 'raw' ? 3 : 1, Math.ceil(span / stepMs / maxPoints));
  while (bucketCount(fromAt, toAt, steps * stepMs) > maxPoints) steps += 1;
  return { resolution, stepMs, bucketMs: steps * stepMs };
}

/** Number of epoch-aligned buckets of `bucketMs` that [fromAt, toAt] touches. */
export function bucketCount(fromAt: number, toAt: number, bucketMs: number): number {
  return Math.floor(toAt / bucketMs) - Math.floor(fromAt / bucketMs) + 1;
}
