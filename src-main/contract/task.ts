import type { Framework } from './figures.js';

/** The lifecycle state of one task, in the same words for every framework. */
export type TaskState =
  | 'waiting'
  | 'scheduled'
  | 'reserved'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'retrying'
  | 'dead'
  | 'unknown';

/**
 * A value that was present in the broker but is not shown because decoding it would mean
 * executing it (a pickle that needs a class) or it is not in a known format.
 */
export interface Undecodable {
  undecodable: true;
  /** The format as far as it could be told: `pickle`, `zlib+pickle`, `msgpack`, `unknown`, … */
  encoding: string;
  /** Size of the raw value in bytes. */
  bytes: number;
  /** Why it was not decoded, in plain words. */
  reason: string;
}

/** The error a failed (or retried) task raised. Members are `null` when not recorded. */
export interface TaskError {
  /** Exception class, e.g. `ValueError`. */
  type: string | null;
  message: string | null;
  traceback: string | null;
}

/** The full detail of one task, from whatever the framework keeps. */
export interface TaskDetail {
  id: string;
  framework: Framework;
  /** Id of the connection it was found on. */
  connection: string;
  /** The queue it was sent to; `null` when the source does not record it. */
  queue: string | null;
  /** The task function or class (`app.tasks.add`, `jobs.add`). */
  name: string | null;
  /** A printable form of the call, as the framework writes it (`jobs.add(1, 2)`). */
  description: string | null;
  state: TaskState;
  /** Positional arguments, an {@link Undecodable}, or `null` when not recorded. */
  args: unknown[] | Undecodable | string | null;
  /** Keyword arguments, an {@link Undecodable}, or `null` when not recorded. */
  kwargs: Record<string, unknown> | Undecodable | string | null;
  /** Epoch ms; `null` when not recorded. */
  enqueuedAt: number | null;
  /** Epoch ms of the (latest) start; `null` when not started or not recorded. */
  startedAt: number | null;
  /** Epoch ms; `null` when not finished or not recorded. */
  finishedAt: number | null;
  /** Name of the worker that ran (or runs) it. */
  worker: string | null;
  /** Retries made so far; `null` when not recorded. */
  retries: number | null;
  /** The return value (decoded JSON, a repr string, or an {@link Undecodable}); `null` if none. */
  result: unknown;
  error: TaskError | null;
  /** Where each field came from (`result backend`, `events`, `queue message`), for the reader. */
  sources: string[];
  /**
   * Optional, where the framework keeps them (BullMQ). The options the task was sent with, as
   * stored (BullMQ `opts`: attempts, backoff, delay, priority, removeOnComplete, …).
   */
  options?: Record<string, unknown> | null;
  /** Attempts made (finished, successfully or not), started, and allowed; members `null` when not recorded. */
  attempts?: { made: number | null; started: number | null; max: number | null };
  /** When a scheduled (delayed) task becomes ready, epoch ms; `null` when it is not scheduled. */
  scheduledAt?: number | null;
  /** The progress the task last reported (a number or any JSON value); `null` when none. */
  progress?: unknown;
  /**
   * Optional: the time limit the framework records for this task, in ms (RQ's job `timeout`);
   * `null` when it records none (RQ's `-1`: no limit), absent where the framework keeps none.
   */
  timeoutMs?: number | null;
  /** Log lines the task wrote (BullMQ `job.log`), oldest first; the latest ones when there are many. */
  logs?: string[];
  /** Total log lines kept, when more than `logs` holds. */
  logCount?: number;
}
