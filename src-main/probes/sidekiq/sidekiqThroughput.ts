import type { FinishedSample, FinishedTask } from '../../contract/snapshot.js';

/** One reading of the all-time counters, kept in the memo between polls. */
export interface CounterPoint {
  at: number;
  processed: number;
  failed: number;
}

/** Points kept: enough for a 10-minute window at a 2.5 s cadence, a bound either way. */
const maxPoints = 240;
/** Synthetic tasks a sample may hold; beyond, the span is shortened in proportion (rate unchanged). */
const maxTasks = 20_000;
const minimumSpanMs = 1000;

/** Adds this poll's counters to the kept points, dropping those outside the window; a reset starts over. */
export function nextPoints(previous: CounterPoint[], point: CounterPoint, windowMs: number): CounterPoint[] {
  const last = previous[previous.length - 1];
  if (last && (point.processed < last.processed || point.failed < last.failed || point.at <= last.at)) return [point];
  const kept = [...previous, point];
  // Keep the newest point at or before the window's start, so the span covers the whole window.
  let start = 0;
  while (start + 1 < kept.length - 1 && kept[start + 1]!.at <= point.at - windowMs) start += 1;
  return kept.slice(Math.max(start, kept.length - maxPoints));
}

export interface CounterDelta {
  fromAt: number;
  toAt: number;
  processed: number;
  failed: number;
}

/** The counters' change over the kept points; `null` with one point (the first poll). */
export function deltaOf(points: CounterPoint[]): CounterDelta | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || first === last) return null;
  return { fromAt: first.at, toAt: last.at, processed: last.processed - first.processed, failed: last.failed - first.failed };
}

/**
 * The one unsafe step of this probe: Sidekiq keeps counters, not finished jobs, while the core
 * computes throughput and success ratio from a FinishedSample. The delta is written as that many
 * tasks spread evenly over the span (succeeded = processed − failed, since processed counts
 * failures), with no enqueue or start time, so latencies stay unknown. A large delta shortens the
 * span in proportion, which leaves count ÷ span, the rate, unchanged and the memory bounded.
 */
export function sampleFromDelta(queue: string, delta: CounterDelta): FinishedSample {
  const spanMs = delta.toAt - delta.fromAt;
  const perMs = delta.processed / spanMs;
  const usedMs = delta.processed > maxTasks ? Math.max(minimumSpanMs, Math.min(spanMs, maxTasks / perMs)) : spanMs;
  const scale = usedMs / spanMs;
  const total = Math.round(delta.processed * scale);
  const failed = Math.min(total, Math.round(delta.failed * scale));
  const fromAt = delta.toAt - usedMs;
  const tasks: FinishedTask[] = [];
  for (let i = 0; i < total; i += 1) {
    tasks.push({ enqueuedAt: null, startedAt: null, finishedAt: Math.round(fromAt + ((i + 1) * usedMs) / total), succeeded: i >= failed });
  }
  return { queue, fromAt, toAt: delta.toAt, source: 'timestamps', truncated: false, tasks };
}
