import type { CeleryEventState } from '../celeryEventState.js';
import { queueOfTask } from '../celeryTaskSummary.js';
import { isAlive } from '../celeryWorkerView.js';

/** Per queue, what live workers hold unacknowledged as far as events tell. */
export interface HeldTasks {
  /** Received with an ETA (countdown, retry delay) still ahead: `celery inspect scheduled`. */
  scheduled: number;
  /** Received, not started, no ETA ahead: prefetched, as `celery inspect reserved`. */
  prefetched: number;
}

/**
 * Tasks heard received by a worker that is alive now and not yet started, split into scheduled
 * (ETA ahead of `now`) and prefetched, by queue. Tasks received by a worker that has gone or went
 * silent are left out: their messages went back to the queue when its connection closed.
 * `unplaced` counts those whose queue is unknown (no task-sent, worker of several queues).
 */
export function heldByQueue(state: CeleryEventState, onlyQueue: string | null, now: number, queueOfWorker?: (hostname: string) => string | null): { byQueue: Map<string, HeldTasks>; unplaced: number } {
  const byQueue = new Map<string, HeldTasks>();
  let unplaced = 0;
  for (const task of state.tasks.values()) {
    if (task.phase !== 'received' || task.worker === null) continue;
    const worker = state.workers.get(task.worker);
    if (!worker || worker.goneAt !== null || !isAlive(worker, now)) continue;
    const queue = queueOfTask(task, onlyQueue, queueOfWorker);
    if (queue === null) {
      unplaced++;
      continue;
    }
    const held = byQueue.get(queue) ?? { scheduled: 0, prefetched: 0 };
    if (task.etaAt !== null && task.etaAt > now) held.scheduled++;
    else held.prefetched++;
    byQueue.set(queue, held);
  }
  return { byQueue, unplaced };
}
