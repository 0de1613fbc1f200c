import type { HistoryAggregate } from '../../contract/history.js';

/**
 * A stored value of one figure with the number of samples it stands for: a raw sample has
 * `n = 1` (or `0` when the figure could not be told, `value` null); a rollup row has the count
 * of non-null samples it summarises, so averages of averages stay exact (weighted).
 */
export interface WeightedValue {
  at: number;
  value: number | null;
  n: number;
}

/** Folds values with one aggregate; `null` when none of them holds a number. */
export function aggregateValues(values: readonly WeightedValue[], aggregate: HistoryAggregate): { value: number | null; n: number } {
  let n = 0;
  let acc: number | null = null;
  let sum = 0;
  for (const v of values) {
    if (v.value === null || v.n <= 0) continue;
    n += v.n;
    if (aggregate === 'avg') sum += v.value * v.n;
    else if (acc === null) acc = v.value;
    else acc = aggregate === 'max' ? Math.max(acc, v.value) : Math.min(acc, v.value);
  }
  if (n === 0) return { value: null, n: 0 };
  return { value: aggregate === 'avg' ? sum / n : acc, n };
}

/** Start of the epoch-aligned bucket of width `bucketMs` holding `at`. */
export function bucketStart(at: number, bucketMs: number): number {
  return Math.floor(at / bucketMs) * bucketMs;
}

/**
 * Rollup: values (any order) grouped into epoch-aligned buckets of `bucketMs`, one row per bucket
 * that holds at least one sample, sorted by time. A bucket whose samples are all `null` is kept
 * with `value: null, n: 0`, so "polled but could not tell" stays apart from "not polled" (no row).
 * raw → 1 min and 1 min → 1 h are this same function, so a 1 h point equals the aggregate
 * of its raw samples.
 */
export function rollupValues(values: readonly WeightedValue[], bucketMs: number, aggregate: HistoryAggregate): WeightedValue[] {
  const buckets = new Map<number, WeightedValue[]>();
  for (const v of values) {
    const start = bucketStart(v.at, bucketMs);
    let list = buckets.get(start);
    if (!list) buckets.set(start, (list = []));
    list.push(v);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([at, list]) => ({ at, ...aggregateValues(list, aggregate) }));
}
