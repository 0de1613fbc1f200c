import type { Unsubscribe } from '../contract/api.js';
import type { ConnectionView, DashboardView } from '../contract/dashboard.js';
import type { HistoryInfo, HistoryQuery, HistoryView } from '../contract/history.js';
import type { TaskDetail } from '../contract/task.js';
import { defaultRetention } from '../core/history/historyFigures.js';
import type { HistoryStore, PollRecord } from '../core/history/historyStore.js';
import type { Clock } from '../io/clock.js';

export interface HistoryRecorderDeps {
  /** The monitor whose polls are recorded (MonitorService). */
  monitor: { onDidChangeDashboard(listener: (view: DashboardView) => void): Unsubscribe; readonly pollIntervalMs: number };
  /** `null`: history is off; queries answer empty and `info` says so. */
  store: HistoryStore | null;
  clock: Clock;
  /** Where a write error is told (once per distinct message); it never throws to the poll loop. */
  log: (line: string) => void;
  /** Runs the writes after the poll loop has moved on (default `setImmediate`). */
  defer?: (work: () => void) => void;
  /** Polls kept for a retry while the store cannot be written (default: an hour of 4 connections at 5 s). */
  maxPending?: number;
}

/** A poll that failed this many times is given up, so one bad record cannot block the rest. */
const maxAttempts = 3;

/**
 * Feeds each poll of the monitor to the history store, one transaction per poll, and answers
 * history queries. The monitor announces every poll as a whole dashboard: a connection's view is
 * a new object after each of its polls (sessions replace, never mutate, their view), so a view
 * not seen before is a poll to record; its queues are recorded only when it read the broker
 * (`takenAt` moved), otherwise the poll is recorded as the connection's status alone and the
 * queues get a gap, never their last values again.
 * Writes are deferred off the poll loop and run in order; a write error is logged and the poll
 * kept for the next attempt (bounded), so nothing already stored is lost and nothing crashes.
 */
export class HistoryRecorder {
  readonly #seen = new Map<string, ConnectionView>();
  readonly #takenAt = new Map<string, number | null>();
  readonly #pending: { poll: PollRecord; attempts: number }[] = [];
  readonly #maxPending: number;
  readonly #defer: (work: () => void) => void;
  #scheduled = false;
  #lastError: string | null = null;
  #unsubscribe: Unsubscribe | null = null;

  constructor(readonly deps: HistoryRecorderDeps) {
    this.#maxPending = deps.maxPending ?? 2880;
    this.#defer = deps.defer ?? ((work) => setImmediate(work));
  }

  get isEnabled(): boolean {
    return this.deps.store !== null;
  }

  /** Polls waiting to be written (after an error, until the store takes them). */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Subscribes to the monitor's polls; rollups and pruning run once at start. */
  start(): void {
    if (!this.deps.store || this.#unsubscribe) return;
    this.#guard(() => this.deps.store!.maintain(this.deps.clock.now()));
    this.#unsubscribe = this.deps.monitor.onDidChangeDashboard((view) => this.#onDashboard(view));
  }

  #onDashboard(view: DashboardView): void {
    for (const c of view.connections) {
      if (this.#seen.get(c.id) === c || c.pollDurationMs === null) continue;
      this.#seen.set(c.id, c);
      const read = c.takenAt !== null && c.takenAt !== this.#takenAt.get(c.id);
      this.#takenAt.set(c.id, c.takenAt);
      this.#pending.push({
        attempts: 0,
        poll: {
          connection: c.id,
          at: read ? c.takenAt! : this.deps.clock.now() - c.pollDurationMs,
          status: c.status,
          pollDurationMs: c.pollDurationMs,
          queues: read ? c.queues : null,
          workers: read ? c.workers : [],
          pollIntervalMs: this.deps.monitor.pollIntervalMs,
        },
      });
    }
    if (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.splice(0, this.#pending.length - this.#maxPending);
      this.deps.log(`history: ${dropped.length} poll(s) not recorded: the store has refused writes for too long`);
    }
    if (this.#pending.length > 0 && !this.#scheduled) {
      this.#scheduled = true;
      this.#defer(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the polls waiting, in order; stops at the first error (they are tried again later). */
  flush(): void {
    const store = this.deps.store;
    if (!store) return;
    while (this.#pending.length > 0) {
      const next = this.#pending[0]!;
      const ok = this.#guard(() => store.record(next.poll));
      if (!ok) {
        next.attempts += 1;
        if (next.attempts < maxAttempts) return;
        this.deps.log(`history: the poll of ${next.poll.connection} at ${new Date(next.poll.at).toISOString()} was given up after ${maxAttempts} failed writes`);
      }
      this.#pending.shift();
    }
  }

  /** Keeps a task's detail seen by a lookup (failed ones longer); never throws. */
  recordTask(detail: TaskDetail): void {
    const store = this.deps.store;
    if (store) this.#guard(() => store.recordTask(detail, this.deps.clock.now()));
  }

  /** Details kept of a task no broker holds any more, newest first. */
  tasks(id: string, filter: { connection?: string; framework?: string } = {}): TaskDetail[] {
    return this.deps.store?.tasks(id, filter) ?? [];
  }

  /** A history query, answered after the polls waiting are written. */
  query(query: HistoryQuery): HistoryView {
    const { fromAt, toAt } = query;
    if (!this.deps.store) return { fromAt, toAt, resolution: 'raw', bucketMs: null, series: [] };
    this.flush();
    return this.deps.store.query(query, this.deps.clock.now());
  }

  info(): HistoryInfo {
    if (!this.deps.store) {
      return { enabled: false, path: null, sizeBytes: 0, retention: { ...defaultRetention }, pollIntervalMs: this.deps.monitor.pollIntervalMs, oldestAt: { raw: null, '1m': null, '1h': null } };
    }
    return this.deps.store.info();
  }

  /** Stops listening and writes what is waiting; the store stays open (its owner closes it). */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.flush();
  }

  /** Runs a store call; an error is logged once per distinct message and reported as `false`. */
  #guard(work: () => void): boolean {
    try {
      work();
      if (this.#lastError !== null) this.deps.log('history: writing again');
      this.#lastError = null;
      return true;
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      if (message !== this.#lastError) this.deps.log(`history: could not write (${message}); polls are kept and written when the store takes them`);
      this.#lastError = message;
      return false;
    }
  }
}
