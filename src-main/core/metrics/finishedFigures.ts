import type { FigureName, Percentiles } from '../../contract/figures.js';
import type { FinishedSample } from '../../contract/snapshot.js';
import { percentilesOf } from './percentiles.js';

export interface FinishedFigures {
  throughputPerMin: number | null;
  waitLatencyMs: Percentiles | null;
  runLatencyMs: Percentiles | null;
  successRatio: number | null;
  /** Tasks finished in the window; `null` without a sample. */
  finishedCount: number | null;
  notes: Partial<Record<FigureName, string>>;
}

/** Shortest window a rate is computed over: below it a count says nothing about a rate. */
const minimumWindowMs = 1000;

/**
 * Throughput, latencies and success ratio from the tasks that finished inside the sample's
 * window. Only tasks with both timestamps count towards a latency; the success ratio needs at
 * least `minFinished` finished tasks.
 */
export function computeFinishedFigures(sample: FinishedSample | undefined, minFinished = 1): FinishedFigures {
  if (!sample) {
    const why = 'no record of finished tasks was available';
    return { throughputPerMin: null, waitLatencyMs: null, runLatencyMs: null, successRatio: null, finishedCount: null,
      notes: { throughputPerMin: why, waitLatencyMs: why, runLatencyMs: why, successRatio: why } };
  }
  const windowMs = sample.toAt - sample.fromAt;
  const inWindow = sample.tasks.filter((t) => t.finishedAt >= sample.fromAt && t.finishedAt <= sample.toAt);
  const notes: Partial<Record<FigureName, string>> = {};
  const seconds = Math.round(windowMs / 1000);
  const over = sample.source === 'events' ? `from events heard over ${seconds} s` : `from task timestamps over the last ${seconds} s`;
  let throughputPerMin: number | null = null;
  if (windowMs >= minimumWindowMs) {
    throughputPerMin = round2((inWindow.length * 60_000) / windowMs);
    notes.throughputPerMin = sample.truncated ? `${over}, approximate: a bounded sample of the most recent tasks` : over;
  } else {
    notes.throughputPerMin = `the window heard so far (${windowMs} ms) is too short for a rate`;
  }
  const waits = inWindow.flatMap((t) => (t.startedAt !== null && t.enqueuedAt !== null && t.startedAt >= t.enqueuedAt ? [t.startedAt - t.enqueuedAt] : []));
  const runs = inWindow.flatMap((t) => (t.startedAt !== null && t.finishedAt >= t.startedAt ? [t.finishedAt - t.startedAt] : []));
  const waitLatencyMs = percentilesOf(waits);
  const runLatencyMs = percentilesOf(runs);
  if (!waitLatencyMs) notes.waitLatencyMs = inWindow.length ? 'enqueue or start times were not recorded' : 'no task finished in the window';
  if (!runLatencyMs) notes.runLatencyMs = inWindow.length ? 'start times were not recorded' : 'no task finished in the window';
  const succeeded = inWindow.filter((t) => t.succeeded).length;
  let successRatio: number | null = null;
  if (inWindow.length >= minFinished && inWindow.length > 0) successRatio = round4(succeeded / inWindow.length);
  else notes.successRatio = inWindow.length === 0 ? 'no task finished in the window' : `only ${inWindow.length} of the ${minFinished} finished tasks it needs in the window`;
  return { throughputPerMin, waitLatencyMs, runLatencyMs, successRatio, finishedCount: inWindow.length, notes };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
