import type { QueueFigures, WorkerInfo } from '../../contract/figures.js';
import {
  connectionStatusLevel, type ConnectionHistoryFigure, type HistoryAggregate, type HistoryFigure, type HistoryRetention,
  type QueueHistoryFigure,
} from '../../contract/history.js';
import type { ConnectionView } from '../../contract/dashboard.js';

/**
 * How a bucket of samples becomes one value, per figure (used alike by the 1 min / 1 h rollups
 * and by chart downsampling, so a point means the same whatever resolution answered):
 * - `max` for counts, ages, latencies, drain ETA and busy/offline workers: a backlog spike of
 *   one poll stays visible on a 30-day chart, and the chart agrees with the alert that fired
 *   on it (a threshold rule sees the peak, an average would hide it);
 * - `min` where low is bad (success ratio, workers online): a dip stays visible the same way;
 * - `avg` for rates and medians (throughput, p50 latencies): their peaks are noise, their mean
 *   over the bucket is the figure of that bucket (total work = mean rate × time).
 * LTTB was not chosen: it keeps a visually similar line but drops the one-poll spikes that
 * matter here and cannot be applied to rollups that no longer hold the samples.
 */
export const figureAggregate: Record<HistoryFigure, HistoryAggregate> = {
  waiting: 'max',
  scheduled: 'max',
  reserved: 'max',
  running: 'max',
  failed: 'max',
  dead: 'max',
  retrying: 'max',
  oldestWaitingAgeMs: 'max',
  throughputPerMin: 'avg',
  waitLatencyP50Ms: 'avg',
  waitLatencyP95Ms: 'max',
  runLatencyP50Ms: 'avg',
  runLatencyP95Ms: 'max',
  successRatio: 'min',
  drainEtaMs: 'max',
  workersOnline: 'min',
  workersBusy: 'max',
  workersOffline: 'max',
  status: 'max',
  pollDurationMs: 'max',
};

const hour = 3_600_000;
const day = 24 * hour;

/** Raw 24 h, 1 min 30 days, 1 h 1 year; failed task details 30 days, others 24 h. */
export const defaultRetention: HistoryRetention = {
  rawMs: day,
  minuteMs: 30 * day,
  hourMs: 365 * day,
  failedTaskMs: 30 * day,
  taskMs: day,
};

/** One queue's figures as history values (`null`: the figure could not be told). */
export function queueHistoryValues(q: QueueFigures): Record<QueueHistoryFigure, number | null> {
  return {
    waiting: q.waiting,
    scheduled: q.scheduled,
    reserved: q.reserved,
    running: q.running,
    failed: q.failed,
    dead: q.dead,
    retrying: q.retrying,
    oldestWaitingAgeMs: q.oldestWaitingAgeMs,
    throughputPerMin: q.throughputPerMin,
    waitLatencyP50Ms: q.waitLatencyMs?.p50 ?? null,
    waitLatencyP95Ms: q.waitLatencyMs?.p95 ?? null,
    runLatencyP50Ms: q.runLatencyMs?.p50 ?? null,
    runLatencyP95Ms: q.runLatencyMs?.p95 ?? null,
    successRatio: q.successRatio,
    drainEtaMs: q.drainEtaMs,
    workersOnline: q.workers.online,
    workersBusy: q.workers.busy,
    workersOffline: q.workers.offline,
  };
}

/**
 * A connection's own figures as history values. Its workers are counted once each from the
 * worker list (a worker consuming three queues is one worker); they are `null` when the list is
 * empty because a probe could not see workers (a queue says `online: null`), never a false 0.
 * Busy is `null` when some online worker does not say whether it is busy.
 */
export function connectionHistoryValues(view: Pick<ConnectionView, 'status' | 'pollDurationMs'> & { workers: readonly WorkerInfo[]; queues: readonly QueueFigures[] | null }): Record<ConnectionHistoryFigure, number | null> {
  const workers = view.workers;
  const blind = view.queues === null || (workers.length === 0 && view.queues.some((q) => q.workers.online === null));
  const online = workers.filter((w) => w.state === 'online');
  return {
    status: connectionStatusLevel[view.status],
    pollDurationMs: view.pollDurationMs,
    workersOnline: blind ? null : online.length,
    workersBusy: blind || online.some((w) => w.busy === null) ? null : online.filter((w) => w.busy).length,
    workersOffline: blind ? null : workers.filter((w) => w.state === 'offline').length,
  };
}

/** Checks retention settings: every span positive and at most ten years, finer ≤ coarser. */
export function retentionProblem(r: HistoryRetention): string | null {
  for (const [name, ms] of Object.entries(r)) {
    if (!Number.isFinite(ms) || ms <= 0 || ms > 3650 * day) return `${name} must be between 1 ms and 10 years, not ${ms}`;
  }
  if (r.rawMs > r.minuteMs || r.minuteMs > r.hourMs) return 'raw retention must not exceed the 1 min one, nor the 1 min one the 1 h one';
  return null;
}
