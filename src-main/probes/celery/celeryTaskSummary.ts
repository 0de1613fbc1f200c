import type { FinishedTask } from '../probe.js';
import type { CeleryEventState, TaskRecord } from './celeryEventState.js';

/** Task figures of one queue (or of tasks whose queue is unknown), from the events heard. */
export interface QueueTaskSummary {
  running: number;
  /** Tasks that failed for good inside the window. */
  failed: number;
  /** Tasks heard retried whose next attempt has not started yet. */
  retrying: Set<string>;
  /** Tasks heard as sent and not yet received by a worker, and the oldest one's ready time. */
  sentWaiting: number;
  oldestReadyAt: number | null;
  finished: FinishedTask[];
}

export interface TaskSummary {
  /** By the queue named in `task-sent`, or the namespace's only queue; `null` = unknown. */
  byQueue: Map<string | null, QueueTaskSummary>;
  /** Running tasks per worker hostname, with the latest one started. */
  runningByWorker: Map<string, { count: number; latest: string; latestAt: number }>;
  /**
   * Per worker, the tasks heard running at the moment of its last heartbeat (by the worker's own
   * clock, which stamps both): what its `active` count should equal if every start was heard.
   */
  runningAtBeat: Map<string, number>;
}

/**
 * One pass over the tasks heard. `onlyQueue` is the namespace's single task queue, if it has
 * exactly one: every task is then in it, whether or not `task-sent` named it (Celery's worker
 * events do not carry the queue; only the producer's `task-sent` does). `queueOfWorker` gives
 * the one queue a worker consumes, where the broker tells it (RabbitMQ), else `null`.
 */
export function summarizeTasks(state: CeleryEventState, fromAt: number, onlyQueue: string | null, queueOfWorker?: (hostname: string) => string | null): TaskSummary {
  const byQueue = new Map<string | null, QueueTaskSummary>();
  const runningByWorker: TaskSummary['runningByWorker'] = new Map();
  const runningAtBeat = new Map<string, number>();
  for (const task of state.tasks.values()) {
    if (task.startedBy !== null && task.startedAt !== null) {
      const beatAt = state.workers.get(task.startedBy)?.activeAt ?? null;
      if (beatAt !== null && task.startedAt <= beatAt && (task.stoppedAt === null || task.stoppedAt > beatAt)) {
        runningAtBeat.set(task.startedBy, (runningAtBeat.get(task.startedBy) ?? 0) + 1);
      }
    }
    const queue = queueOfTask(task, onlyQueue, queueOfWorker);
    let s = byQueue.get(queue);
    if (!s) {
      s = { running: 0, failed: 0, retrying: new Set(), sentWaiting: 0, oldestReadyAt: null, finished: [] };
      byQueue.set(queue, s);
    }
    switch (task.phase) {
      case 'started':
        s.running++;
        if (task.worker !== null) countRunning(runningByWorker, task);
        break;
      case 'succeeded':
      case 'failed':
        if (task.finishedAt !== null && task.finishedAt >= fromAt) {
          if (task.phase === 'failed') s.failed++;
          s.finished.push(finishedOf(task));
        }
        break;
      case 'sent':
        s.sentWaiting++;
        if (task.sentAt !== null) {
          const ready = readyAt(task)!;
          if (s.oldestReadyAt === null || ready < s.oldestReadyAt) s.oldestReadyAt = ready;
        }
        if (task.retriedCount > 0) s.retrying.add(task.id);
        break;
      case 'received':
      case 'retried':
        if (task.retriedCount > 0) s.retrying.add(task.id);
        break;
      default:
        break;
    }
  }
  return { byQueue, runningByWorker, runningAtBeat };
}

/**
 * The queue a task is counted in: the one its task-sent named; else, without task-sent, the one
 * queue its worker consumes where the broker tells it (RabbitMQ does, Redis does not); else the
 * namespace's only queue; `null` when unknown.
 */
export function queueOfTask(task: TaskRecord, onlyQueue: string | null, queueOfWorker?: (hostname: string) => string | null): string | null {
  return task.queue ?? (queueOfWorker && task.worker !== null ? queueOfWorker(task.worker) : null) ?? onlyQueue;
}

/**
 * When a task became ready to run: sent, or its ETA/countdown if later. Wait latency is measured
 * from here, so a countdown is not counted as waiting. `null` without `task-sent`: a worker-side
 * `task-received` time would hide the time spent in the broker.
 */
function readyAt(task: TaskRecord): number | null {
  if (task.sentAt === null) return null;
  return task.etaAt !== null && task.etaAt > task.sentAt ? task.etaAt : task.sentAt;
}

/**
 * A finished task for rates and latencies. A succeeded task's run time is Celery's own
 * `runtime` (the worker measures it), so run latency equals what Celery reports.
 */
function finishedOf(task: TaskRecord): FinishedTask {
  const finishedAt = task.finishedAt!;
  let startedAt = task.startedAttempt === task.attempt ? task.startedAt : null;
  if (task.runtimeMs !== null) startedAt = startedAt === null ? finishedAt - task.runtimeMs : startedAt;
  const end = task.runtimeMs !== null && startedAt !== null ? startedAt + task.runtimeMs : finishedAt;
  return { enqueuedAt: readyAt(task), startedAt, finishedAt: end, succeeded: task.phase === 'succeeded' };
}

function countRunning(map: TaskSummary['runningByWorker'], task: TaskRecord): void {
  const entry = map.get(task.worker!);
  const at = task.startedAt ?? 0;
  if (!entry) map.set(task.worker!, { count: 1, latest: task.id, latestAt: at });
  else {
    entry.count++;
    if (at >= entry.latestAt) {
      entry.latest = task.id;
      entry.latestAt = at;
    }
  }
}
