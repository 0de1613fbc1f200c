import { parseIsoTime } from '../shared/time.js';
import type { CeleryEventState, TaskPhase, TaskRecord } from './celeryEventState.js';
import { isFinishedPhase } from './celeryEventState.js';
import { workerRecord } from './celeryWorkerEvent.js';

/** Order of the phases within one attempt; a late event of a lower rank only fills in fields. */
const rank: Record<TaskPhase, number> = {
  sent: 0, received: 1, started: 2, retried: 3, succeeded: 3, failed: 3, rejected: 3, revoked: 3,
};

/**
 * One task event. Events of one task come from two senders and two channels (`task-sent` from
 * the producer, the rest batched by the worker), so they can arrive out of order: live, a retry's
 * new `task-sent` and `task-received` arrived before the `task-retried` of the attempt that
 * raised it. Attempts are told apart by `retries`, which `task-sent` and `task-received` carry.
 */
export function applyTaskEvent(state: CeleryEventState, type: string, event: Record<string, unknown>, receivedAt: number): void {
  const id = event.uuid;
  if (typeof id !== 'string') return;
  state.taskEventCount++;
  const at = typeof event.timestamp === 'number' ? Math.round(event.timestamp * 1000) : receivedAt;
  const task = state.tasks.get(id) ?? newTask(state, id, receivedAt);
  task.lastHeardAt = receivedAt;
  const hostname = typeof event.hostname === 'string' ? event.hostname : null;
  if (type !== 'task-sent' && hostname !== null) {
    const worker = workerRecord(state, hostname);
    worker.sendsTaskEvents = true;
    // Celery's own state counts any event from a worker as a sign of life.
    if (worker.goneAt === null) worker.lastSeenAt = receivedAt;
    task.worker = hostname;
  }
  switch (type) {
    case 'task-sent':
    case 'task-received': {
      const attempt = typeof event.retries === 'number' ? event.retries : 0;
      const phase: TaskPhase = type === 'task-sent' ? 'sent' : 'received';
      if (attempt > task.attempt || (attempt === task.attempt && rank[phase] > rank[task.phase] && task.startedAttempt < attempt)) {
        task.attempt = attempt;
        task.phase = phase;
      }
      if (attempt === task.attempt) {
        if (type === 'task-sent') {
          task.sentAt = at;
          if (typeof event.queue === 'string') task.queue = event.queue;
        } else {
          task.receivedAt = at;
        }
        task.etaAt = typeof event.eta === 'string' ? parseIsoTime(event.eta) : null;
      }
      if (typeof event.name === 'string') task.name = event.name;
      if (typeof event.args === 'string') task.args = event.args;
      if (typeof event.kwargs === 'string') task.kwargs = event.kwargs;
      return;
    }
    case 'task-started':
      task.startedBy = hostname;
      if (task.attempt > 0 && isEarlierStart(task, at)) {
        // The start of an earlier attempt, heard after the retry's task-sent (RabbitMQ, live: the
        // worker publishes task-sent at once but batches its other events under task.multi).
        task.startedAt = at;
        task.stoppedAt = null;
        task.startedAttempt = Math.max(task.startedAttempt, task.attempt - 1);
        return;
      }
      task.phase = 'started';
      task.startedAt = at;
      task.stoppedAt = null;
      task.startedAttempt = task.attempt;
      task.finishedAt = null;
      return;
    case 'task-succeeded':
      finish(task, 'succeeded', at);
      task.runtimeMs = typeof event.runtime === 'number' ? Math.round(event.runtime * 1000) : null;
      task.result = typeof event.result === 'string' ? event.result : null;
      return;
    case 'task-failed':
      finish(task, 'failed', at);
      failure(task, event);
      return;
    case 'task-retried':
      stop(task, at);
      task.retriedCount++;
      failure(task, event);
      // The next attempt may already have been sent or received (heard first): keep its phase.
      if (task.attempt <= task.startedAttempt || task.startedAttempt < 0) task.phase = 'retried';
      return;
    case 'task-rejected':
      stop(task, at);
      // A rejected message that is requeued goes back to its queue: it waits again.
      if (event.requeue === true) task.phase = 'sent';
      else finish(task, 'rejected', at);
      return;
    case 'task-revoked':
      finish(task, 'revoked', at);
      return;
    default:
      return;
  }
}

/**
 * Whether a task-started stamped `at` belongs to an attempt before the latest one heard. A retry
 * with a countdown cannot start before its eta, so a start before it is an earlier attempt's.
 * Stamps alone do not order them: the prefork pool's child runs the task and sends the retry's
 * task-sent while the parent stamps task-started only when it hears the child took the job
 * (live: task-started 2 ms after the retry's task-sent and equal to its task-received). A start
 * no later than the retry was sent, or before it was received, is an earlier one too.
 */
function isEarlierStart(task: TaskRecord, at: number): boolean {
  return (task.etaAt !== null && at < task.etaAt) || (task.sentAt !== null && at <= task.sentAt) || (task.receivedAt !== null && at < task.receivedAt);
}

function newTask(state: CeleryEventState, id: string, receivedAt: number): TaskRecord {
  const task: TaskRecord = {
    id, name: null, queue: null, phase: 'sent', attempt: 0, startedAttempt: -1, sentAt: null, etaAt: null,
    receivedAt: null, startedAt: null, startedBy: null, stoppedAt: null, finishedAt: null, runtimeMs: null, worker: null, args: null, kwargs: null,
    result: null, exception: null, traceback: null, retriedCount: 0, lastHeardAt: receivedAt,
  };
  state.tasks.set(id, task);
  return task;
}

function finish(task: TaskRecord, phase: TaskPhase, at: number): void {
  stop(task, at);
  task.phase = phase;
  task.finishedAt = at;
}

/** The started attempt stopped; an event older than the latest start is an earlier attempt's. */
function stop(task: TaskRecord, at: number): void {
  if (task.startedAt === null || at >= task.startedAt) task.stoppedAt = at;
}

function failure(task: TaskRecord, event: Record<string, unknown>): void {
  if (typeof event.exception === 'string') task.exception = event.exception;
  if (typeof event.traceback === 'string') task.traceback = event.traceback;
}

export { isFinishedPhase };
