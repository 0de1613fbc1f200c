import type { ConnectionStatus, QueueFigures, WorkerInfo } from '../../contract/figures.js';
import type { HistoryInfo, HistoryQuery, HistoryRetention, HistoryView } from '../../contract/history.js';
import type { TaskDetail } from '../../contract/task.js';

/** What one poll of one connection leaves in history. */
export interface PollRecord {
  connection: string;
  /** When the poll started (the queues' `takenAt` on a good poll). */
  at: number;
  status: ConnectionStatus;
  pollDurationMs: number | null;
  /**
   * The queues this poll read; `null` when it read none (the broker could not be read): their
   * series then have no sample at this time, a gap, never a zero.
   */
  queues: readonly QueueFigures[] | null;
  /** The connection's workers as this poll saw them (counted once each); ignored when `queues` is null. */
  workers: readonly WorkerInfo[];
  /** The poll interval in force: gaps are judged against it. */
  pollIntervalMs: number;
}

/**
 * The seam between the monitor and stored history (implemented by io/history's
 * SqliteHistoryStore). Calls are synchronous: the store is local and each poll is one
 * transaction of a few hundred rows.
 */
export interface HistoryStore {
  /**
   * Stores one poll in one transaction, then (at most once a minute, in the same transaction)
   * rolls up the minutes and hours that closed and prunes what retention drops. Throws when the
   * write failed; nothing stored before is lost then, and the poll may be offered again.
   */
  record(poll: PollRecord): void;
  /** Rollups and pruning now (they also run from `record`): at start, after a long pause. */
  maintain(now: number): void;
  /** Figures over a range, downsampled to at most `maxPoints` per series; `now` bounds retention. */
  query(query: HistoryQuery, now: number): HistoryView;
  info(): HistoryInfo;
  /** Changes retention (kept in the store); the next poll prunes by it. Throws on a bad value. */
  setRetention(retention: Partial<HistoryRetention>): HistoryRetention;
  /** Keeps a task's detail (failed ones longer than others, by retention). */
  recordTask(detail: TaskDetail, seenAt: number): void;
  /** Kept details of a task id, newest first. */
  tasks(id: string, filter?: { connection?: string; framework?: string }): TaskDetail[];
  close(): void;
}
