import type { Framework } from './figures.js';
import type { TaskState } from './task.js';

/**
 * Lists of tasks per state, paged, and the write actions a person may take on them (issue 5,
 * items 2 and "Actions"). A page costs O(page) reads (LRANGE / ZRANGE with offsets), never a
 * whole queue; a search reads a bounded number of entries and says how many of how many.
 */

/** The states a list can be asked for; which ones a framework keeps is {@link listableStates}. */
export type TaskListState = 'waiting' | 'scheduled' | 'reserved' | 'running' | 'succeeded' | 'failed' | 'retrying' | 'dead';

export const taskListStates = ['waiting', 'scheduled', 'reserved', 'running', 'succeeded', 'failed', 'retrying', 'dead'] as const satisfies readonly TaskListState[];

/**
 * The lists each framework keeps, as it keeps them (RQ: its queue list and registries; Celery:
 * the broker lists and `unacked`, plus the task events heard; BullMQ: its per-state keys;
 * Sidekiq: queues and the schedule/retry/dead sets). A state missing here cannot be listed.
 */
export const listableStates: Record<Framework, readonly TaskListState[]> = {
  rq: ['waiting', 'scheduled', 'running', 'succeeded', 'failed'],
  celery: ['waiting', 'reserved', 'scheduled', 'running', 'failed', 'retrying'],
  bullmq: ['waiting', 'scheduled', 'running', 'succeeded', 'failed'],
  sidekiq: ['waiting', 'scheduled', 'retrying', 'dead'],
  rabbitmq: [],
};

export interface TaskListQuery {
  /** Connection id. */
  connection: string;
  framework: Framework;
  /** Queue name (exact). */
  queue: string;
  /** Namespace as the figures name it (`db0`, `db0 qlab:`); needed only when several hold the queue. */
  namespace?: string;
  state: TaskListState;
  /** First entry to return (0 = the first); default 0. */
  offset?: number;
  /** Entries per page, 1..500; default 50. */
  limit?: number;
  /** Case-insensitive text matched against the id, the task name and the arguments' text. */
  search?: string;
}

/** One task as a list row shows it; the full detail is `getTask`. */
export interface TaskSummary {
  id: string;
  framework: Framework;
  connection: string;
  queue: string;
  /** Task function or class; `null` when not recorded or undecodable. */
  name: string | null;
  state: TaskState;
  /** A printable form of the call (`jobs.add(1, 2)`), shortened; `null` when not recorded. */
  description: string | null;
  /** Epoch ms; `null` when not recorded. */
  enqueuedAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** When a scheduled task becomes due, epoch ms; `null` when not scheduled. */
  scheduledAt: number | null;
  worker: string | null;
  /** One line: `ValueError: boom`; `null` when none. */
  error: string | null;
  /** Item-level problem (the job's hash is gone, its data does not decode); absent when none. */
  problem?: string;
}

export interface TaskListPage {
  query: TaskListQuery;
  items: TaskSummary[];
  /**
   * Entries in this state (without a search), or entries matching the search among those
   * searched; `null` when it cannot be told (a search that stopped at its bound).
   */
  total: number | null;
  offset: number;
  /** Entries read to answer a search, and entries in the state; absent without a search. */
  searched?: { read: number; of: number | null };
  /** How the list was read, and why a figure is `null` ("searched 1,000 of 52,311 entries"). */
  notes: string[];
  /** Actions this list allows now: empty when read-only is on or the framework has none. */
  actions: TaskActionKind[];
  /** Whether write actions are switched off (config `readOnly`). */
  readOnly: boolean;
  /** Epoch ms of the read. */
  takenAt: number;
}

/** Write actions, where the framework allows them. */
export type TaskActionKind = 'retry' | 'delete' | 'purge';

export const taskActionKinds = ['retry', 'delete', 'purge'] as const satisfies readonly TaskActionKind[];

/**
 * One write action. `confirm` must repeat what is acted on, `<action>:<task id>` or
 * `purge:<queue>`: a request without it is refused, so no click or script writes by accident.
 */
export interface TaskActionRequest {
  connection: string;
  framework: Framework;
  queue: string;
  namespace?: string;
  action: TaskActionKind;
  /** The task (retry, delete); absent for purge. */
  id?: string;
  confirm: string;
}

export interface TaskActionResult {
  request: TaskActionRequest;
  /** What was done, in plain words (`requeued job 4f6c… to default`). */
  done: string;
  /** Tasks affected (1 for retry and delete; the jobs purged). */
  affectedCount: number;
  /** Epoch ms. */
  at: number;
}

/** The confirmation a request must carry. */
export function confirmationFor(request: Pick<TaskActionRequest, 'action' | 'id' | 'queue'>): string {
  return request.action === 'purge' ? `purge:${request.queue}` : `${request.action}:${request.id ?? ''}`;
}

/** Which actions a framework supports, per list state (before read-only is applied). */
export const actionsByFramework: Record<Framework, Partial<Record<TaskListState, readonly TaskActionKind[]>> & { queue?: readonly TaskActionKind[] }> = {
  rq: { failed: ['retry', 'delete'], waiting: ['delete'], scheduled: ['delete'], succeeded: ['delete'], queue: ['purge'] },
  celery: { waiting: ['delete'], queue: ['purge'] },
  bullmq: {},
  sidekiq: { waiting: ['delete'], scheduled: ['delete'], retrying: ['retry', 'delete'], dead: ['retry', 'delete'], queue: ['purge'] },
  rabbitmq: {},
};

/** The actions a list of this framework and state offers, before read-only is applied (purge included). */
export function actionsFor(framework: Framework, state: TaskListState): TaskActionKind[] {
  const byState = actionsByFramework[framework];
  return [...(byState[state] ?? []), ...(byState.queue ?? [])];
}

/** One JSON line of the actions log: every action asked for, done, refused or failed. */
export interface ActionLogEntry {
  at: number;
  outcome: 'done' | 'refused' | 'failed';
  connection: string;
  framework: Framework;
  queue: string;
  namespace?: string;
  action: TaskActionKind;
  id?: string;
  /** What was done, or why not. */
  detail: string;
  affectedCount?: number;
}
