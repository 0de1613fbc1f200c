import type { CeleryEventState, TaskRecord } from './celeryEventState.js';
import { isFinishedPhase } from './celeryEventState.js';

/**
 * Bounds the event state by age and by count. Finished tasks are kept for `retentionMs` (past
 * the rate window), unfinished ones until `staleMs` without news; beyond `maxTasks` the oldest go
 * first, finished ones before unfinished, and the sample notes from when it is complete again.
 * The first prune also marks when listening began, so a silent namespace still has a window.
 */
export function pruneEventState(state: CeleryEventState, now: number): void {
  state.heardSince ??= now;
  const { retentionMs, staleMs, maxTasks, offlineRetentionMs } = state.limits;
  for (const [id, task] of state.tasks) {
    const finished = isFinishedPhase(task.phase);
    if ((finished && task.lastHeardAt < now - retentionMs) || (!finished && task.lastHeardAt < now - staleMs)) {
      state.tasks.delete(id);
    }
  }
  if (state.tasks.size > maxTasks) dropOldest(state, state.tasks.size - Math.floor(maxTasks * 0.9));
  for (const [name, worker] of state.workers) {
    const gone = worker.goneAt !== null && worker.goneAt < now - retentionMs;
    const silent = worker.goneAt === null && (worker.lastSeenAt ?? 0) < now - offlineRetentionMs;
    if (gone || silent) state.workers.delete(name);
  }
}

/** Drops `count` tasks in the order they were first heard of, finished ones first. */
function dropOldest(state: CeleryEventState, count: number): void {
  let left = count;
  const drop = (task: TaskRecord): void => {
    state.tasks.delete(task.id);
    if (task.finishedAt !== null && isFinishedPhase(task.phase)) {
      state.droppedFinishedUntil = Math.max(state.droppedFinishedUntil ?? task.finishedAt, task.finishedAt);
    }
    left--;
  };
  for (const task of state.tasks.values()) {
    if (left <= 0) return;
    if (isFinishedPhase(task.phase)) drop(task);
  }
  for (const task of state.tasks.values()) {
    if (left <= 0) return;
    drop(task);
  }
}
