import type { FigureName, WorkerCounts, WorkerInfo } from '../../contract/figures.js';
import type { FinishedSample } from '../probe.js';
import type { CeleryEventState, WorkerRecord } from './celeryEventState.js';
import { summarizeTasks, type QueueTaskSummary, type TaskSummary } from './celeryTaskSummary.js';
import { countWorkers, isAlive, silentHintedWorkers, unheardRunning, workerInfos } from './celeryWorkerView.js';

/** The figures of one queue that only events can give. */
export interface QueueEventFigures {
  running: number | null;
  failed: number | null;
  retrying: number | null;
  oldestWaitingAt: number | null | undefined;
  workers: WorkerCounts;
  finished?: FinishedSample;
  notes: Partial<Record<FigureName, string>>;
}

export interface EventFiguresInput {
  state: CeleryEventState | null;
  queues: readonly string[];
  /** `waiting` per queue from this poll, to know whether every waiting task was heard as sent. */
  waiting: ReadonlyMap<string, number | null>;
  connection: string;
  now: number;
  rateWindowMs: number;
  /** Worker names from the pidbox bindings (discovery): crashed workers never heard. */
  workerHints?: readonly string[];
  /**
   * Per queue, retried tasks a worker holds in `unacked` for their next attempt (`retries` > 0),
   * whether or not their retry was heard; `null` when `unacked` was not read this poll.
   */
  heldRetried?: ReadonlyMap<string, ReadonlySet<string>> | null;
  /**
   * Worker node name → the queues it consumes, where the broker tells it (RabbitMQ consumers);
   * absent on Redis. Places tasks without task-sent and counts workers per queue.
   */
  workerQueues?: ReadonlyMap<string, readonly string[]>;
}

const unknownWorkers: WorkerCounts = { online: null, busy: null, offline: null };

/**
 * Running, failed, retrying, the oldest waiting task's time, workers and finished tasks per queue,
 * from the events heard. A figure is given only where the events are complete for it: every
 * worker heard sends task events (or ran nothing since listening began), and each task's queue
 * is known (`task-sent` names it; worker events do not) or the namespace has a single queue.
 */
export function eventFigures(input: EventFiguresInput): { perQueue: Map<string, QueueEventFigures>; workers: WorkerInfo[] | null; unknownQueues: string[] } {
  const { state, queues, now } = input;
  const perQueue = new Map<string, QueueEventFigures>();
  if (!state || state.heardSince === null) {
    const why = state ? 'no Celery events heard yet' : 'not listening to Celery events';
    for (const q of queues) perQueue.set(q, blank(why));
    return { perQueue, workers: null, unknownQueues: [] };
  }
  const heardS = Math.round((now - state.heardSince) / 1000);
  const onlyQueue = queues.length === 1 ? queues[0]! : null;
  const fromAt = Math.max(now - input.rateWindowMs, state.heardSince, (state.droppedFinishedUntil ?? -Infinity) + 1);
  // Finished tasks dropped by the count bound end the window the sample covers completely.
  const truncated = state.droppedFinishedUntil !== null && fromAt === state.droppedFinishedUntil + 1;
  const workerQueues = input.workerQueues;
  const queueOfWorker = workerQueues ? (hostname: string) => {
    const list = workerQueues.get(hostname);
    return list?.length === 1 ? list[0]! : null;
  } : undefined;
  const summary = summarizeTasks(state, fromAt, onlyQueue, queueOfWorker);
  const heardWorkers = [...state.workers.values()].filter((w) => w.lastSeenAt !== null || w.goneAt !== null);
  const silent = heardWorkers.filter(runsWithoutTaskEvents).map((w) => w.hostname);
  const hinted = silentHintedWorkers(input.workerHints ?? [], state, input.connection, now);
  const infos = heardWorkers.length || hinted.length
    ? [...workerInfos(state, summary, input.connection, onlyQueue, now, workerQueues), ...hinted].sort((a, b) => a.name.localeCompare(b.name)) : null;
  const counts = infos ? countWorkers(infos) : null;
  const held = input.heldRetried ?? null;
  const unattributed = attributeHeld(summary.byQueue.get(null), held);
  const unheard = unheardTotal(heardWorkers, summary, now, queueOfWorker);
  const taskWhy = !heardWorkers.length ? `no Celery worker heard in ${heardS} s of listening`
    : silent.length ? `worker ${silent.join(', ')} runs tasks without sending task events (start it with -E)` : null;
  const unknownWhy = (n: number, what: string) => `${n} ${what} heard without their queue: their task-sent event was not heard `
    + '(sent before task-status began listening, or the producer does not set task_send_sent_event)';

  for (const q of queues) {
    const s = summary.byQueue.get(q) ?? emptySummary;
    const notes: QueueEventFigures['notes'] = {};
    const f: QueueEventFigures = { running: null, failed: null, retrying: null, oldestWaitingAt: undefined, workers: unknownWorkers, notes };
    // running: the tasks heard starting, plus those only heartbeats count (started before
    // listening, or on a worker without -E), which can be placed only when there is one queue.
    if (!heardWorkers.length) notes.running = taskWhy!;
    else if (onlyQueue !== null) f.running = unheard.count === null ? null : s.running + unheard.count;
    else if (unheard.count !== null && unheard.count > unheard.placedCount) {
      notes.running = `${unheard.count - unheard.placedCount} tasks running on ${unheard.on.join(', ')} started before task-status began listening, `
        + 'or run without task events (-E): heartbeats count them but do not name their queue';
    } else if (unheard.count === null) notes.running = 'a worker has not reported how many tasks it runs yet';
    else if ((unattributed?.running ?? 0) > 0) notes.running = unknownWhy(unattributed!.running, 'running tasks');
    else f.running = s.running + (unheard.placed.get(q) ?? 0);
    if (f.running === null) notes.running ??= 'a worker has not reported how many tasks it runs yet';
    if (taskWhy) {
      notes.failed = notes.retrying = taskWhy;
    } else if (onlyQueue === null && unattributed && (unattributed.failed || unattributed.retrying.size || unattributed.finished.length)) {
      notes.failed = notes.retrying = unknownWhy(unattributed.finished.length + unattributed.retrying.size, 'finished or retried tasks');
    } else {
      f.failed = s.failed;
      notes.failed = failedNote(now, fromAt, state, truncated);
      f.retrying = new Set([...s.retrying, ...held?.get(q) ?? []]).size;
      notes.retrying = 'retried tasks whose next attempt has not started: '
        + (held ? `those heard retrying since task-status began listening ${heardS} s ago, and those a worker holds in unacked (headers.retries > 0); `
          + 'one waiting in its queue list since before then is not counted'
          : `those heard retrying since task-status began listening ${heardS} s ago; unacked was not read this time, so retries from before then are not counted`);
      f.finished = { queue: q, fromAt, toAt: now, source: 'events', tasks: s.finished, truncated };
    }
    if (!f.finished) notes.throughputPerMin = notes.waitLatencyMs = notes.runLatencyMs = notes.successRatio = notes.failed!;
    f.oldestWaitingAt = oldestWaiting(s, input.waiting.get(q), silent.length === 0, notes);
    f.workers = infos && hasQueuesOfAll(infos) ? countWorkers(infos.filter((w) => w.queues!.includes(q))) : workersOf(counts, onlyQueue !== null, notes, heardS);
    perQueue.set(q, f);
  }
  const unknownQueues = [...summary.byQueue.keys()].filter((k): k is string => k !== null && !queues.includes(k));
  return { perQueue, workers: infos, unknownQueues };
}

const emptySummary: QueueTaskSummary = { running: 0, failed: 0, retrying: new Set(), sentWaiting: 0, oldestReadyAt: null, finished: [] };

/** A task heard retrying without its queue is placed when a worker holds its next attempt. */
function attributeHeld(s: QueueTaskSummary | undefined, held: ReadonlyMap<string, ReadonlySet<string>> | null): QueueTaskSummary | undefined {
  if (!s || !held || s.retrying.size === 0) return s;
  const placed = new Set([...held.values()].flatMap((ids) => [...ids]));
  return { ...s, retrying: new Set([...s.retrying].filter((id) => !placed.has(id))) };
}

/**
 * What `failed` covers: the events heard, from when listening began or the start of the rate
 * window, whichever is later (Flower counts what it heard the same way), so a 0 is not "none ever".
 */
function failedNote(now: number, fromAt: number, state: CeleryEventState, truncated: boolean): string {
  const s = Math.round((now - fromAt) / 1000);
  if (truncated) return `tasks heard failing for good in the last ${s} s (older finished tasks were dropped at the bound of ${state.limits.maxTasks} tasks)`;
  if (fromAt === state.heardSince) return `tasks heard failing for good since task-status began listening ${s} s ago; earlier failures are not known (as in Flower)`;
  return `tasks heard failing for good in the last ${s} s (the rate window; task-status began listening ${Math.round((now - state.heardSince!) / 1000)} s ago)`;
}

/** A worker whose `processed` grew while no task event came from it: it runs without -E. */
function runsWithoutTaskEvents(w: WorkerRecord): boolean {
  return !w.sendsTaskEvents && w.processed !== null && w.firstProcessed !== null && w.processed > w.firstProcessed;
}

/**
 * Running tasks of live workers that no task-started heard explains, and on which workers;
 * `null` when a worker that sends no task events has not reported `active` yet.
 */
function unheardTotal(workers: readonly WorkerRecord[], summary: TaskSummary, now: number, queueOfWorker?: (hostname: string) => string | null): UnheardRunning {
  let count = 0;
  let placedCount = 0;
  const placed = new Map<string, number>();
  const on: string[] = [];
  for (const w of workers) {
    if (w.goneAt !== null || !isAlive(w, now)) continue;
    const n = unheardRunning(w, summary);
    if (n === null) {
      if (!w.sendsTaskEvents) return { count: null, on: [], placed, placedCount: 0 };
      continue;
    }
    count += n;
    // A worker that consumes one queue only (RabbitMQ tells) runs them from that queue.
    const queue = n > 0 && queueOfWorker ? queueOfWorker(w.hostname) : null;
    if (queue !== null) {
      placed.set(queue, (placed.get(queue) ?? 0) + n);
      placedCount += n;
    } else if (n > 0) on.push(w.hostname);
  }
  return { count, on: on.sort(), placed, placedCount };
}

interface UnheardRunning {
  count: number | null;
  /** Workers whose unheard tasks cannot be placed in a queue. */
  on: string[];
  /** Unheard tasks placed by queue (their worker consumes that queue only), and how many. */
  placed: Map<string, number>;
  placedCount: number;
}

/** Whether every worker listed says which queues it consumes (RabbitMQ's consumers tell). */
function hasQueuesOfAll(infos: readonly WorkerInfo[]): boolean {
  return infos.length > 0 && infos.every((w) => w.queues !== null);
}

function oldestWaiting(s: QueueTaskSummary, waiting: number | null | undefined, complete: boolean, notes: QueueEventFigures['notes']): number | null | undefined {
  if (waiting === 0) return null;
  // Celery messages carry no enqueue time; only task-sent events give it, and only when every
  // waiting task was heard being sent.
  if (complete && waiting !== null && waiting !== undefined && s.sentWaiting === waiting && s.oldestReadyAt !== null) return s.oldestReadyAt;
  notes.oldestWaitingAgeMs = 'Celery messages carry no enqueue time, and not every waiting task was heard in a task-sent event (task_send_sent_event)';
  return undefined;
}

function workersOf(counts: WorkerCounts | null, single: boolean, notes: QueueEventFigures['notes'], heardS: number): WorkerCounts {
  if (!counts) {
    notes.workers = `no worker heartbeat heard in ${heardS} s of listening`;
    return unknownWorkers;
  }
  if (single) return counts;
  // Which queues a worker consumes is not in its heartbeat; with none online there is no doubt.
  if (counts.online === 0) return { online: 0, busy: 0, offline: counts.offline === 0 ? 0 : null };
  notes.workers = 'Celery heartbeats do not say which queues a worker consumes';
  return unknownWorkers;
}

function blank(why: string): QueueEventFigures {
  return {
    running: null, failed: null, retrying: null, oldestWaitingAt: undefined, workers: unknownWorkers,
    notes: { running: why, failed: why, retrying: why, workers: why, throughputPerMin: why, waitLatencyMs: why, runLatencyMs: why, successRatio: why, oldestWaitingAgeMs: 'Celery messages carry no enqueue time' },
  };
}
