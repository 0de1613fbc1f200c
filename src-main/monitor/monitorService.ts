import type { DashboardView } from '../contract/dashboard.js';
import type { Unsubscribe } from '../contract/api.js';
import type { TaskDetail } from '../contract/task.js';
import type { Framework } from '../contract/figures.js';
import type { ApiError } from '../contract/errors.js';
import type { Clock } from '../io/clock.js';
import type { MonitorSession } from './monitorSession.js';
import type { TaskActionRequest, TaskListQuery } from '../contract/taskList.js';
import type { ProbeTaskPage } from '../probes/probe.js';
import type { RedisWriterFactory } from '../io/writes/redisWriter.js';

/**
 * The single owner of live state (STYLE.md habit 6): it polls every connection on its own loop
 * (never overlapping, so a slow broker stalls only itself), keeps the latest views, and tells
 * subscribers when the dashboard changed. The per-tick pipeline is ConnectionSession.poll:
 * discover (slow cadence) → probe → metrics → view; history and alerts join here later.
 */
export class MonitorService {
  readonly #listeners = new Set<(view: DashboardView) => void>();
  #running = false;
  #stopping = new AbortController();
  readonly #loops: Promise<void>[] = [];

  constructor(readonly sessions: readonly MonitorSession[], readonly clock: Clock, readonly pollIntervalMs: number) {}

  /** Polls every connection once, concurrently; resolves with the dashboard. */
  async pollAll(): Promise<DashboardView> {
    await Promise.all(this.sessions.map((s) => s.poll()));
    const view = this.dashboard();
    this.#emit(view);
    return view;
  }

  dashboard(): DashboardView {
    return { connections: this.sessions.filter((s) => s.isShown).map((s) => s.view), generatedAt: this.clock.now() };
  }

  onDidChangeDashboard(listener: (view: DashboardView) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts one loop per connection: poll, wait the interval, poll again. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopping = new AbortController();
    for (const session of this.sessions) {
      this.#loops.push((async () => {
        while (this.#running) {
          await session.poll();
          this.#emit(this.dashboard());
          await this.clock.sleep(this.pollIntervalMs, this.#stopping.signal);
        }
      })());
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping.abort();
    await Promise.allSettled(this.#loops.splice(0));
  }

  /**
   * Looks a task up on every connection (or those named): every match, plus the connections
   * that could not be asked and why.
   */
  async findTask(id: string, filter: { framework?: Framework; connection?: string } = {}): Promise<{ found: TaskDetail[]; failures: ApiError[] }> {
    const found: TaskDetail[] = [];
    const failures: ApiError[] = [];
    await Promise.all(this.sessions.map(async (session) => {
      if (filter.connection && session.view.id !== filter.connection) return;
      const result = await session.findTask(id, filter);
      found.push(...result.found);
      failures.push(...result.failures);
    }));
    return { found, failures };
  }

  /** A page of a queue's tasks on one connection; `null` when that connection has no such queue. */
  async listTasks(query: TaskListQuery): Promise<ProbeTaskPage | null> {
    const session = this.#sessionOf(query.connection);
    return session?.listTasks ? session.listTasks(query) : null;
  }

  /**
   * A write action on one connection; `null` when it has no such queue or no actions.
   * `openWriter` opens a writer on a database of that connection (bootstrap decides whether
   * writes are allowed at all).
   */
  async runAction(request: TaskActionRequest, openWriter: (connection: string) => RedisWriterFactory | null): Promise<{ done: string; affectedCount: number } | null> {
    const session = this.#sessionOf(request.connection);
    const writer = openWriter(request.connection);
    return session?.runAction && writer ? session.runAction(request, writer) : null;
  }

  #sessionOf(connection: string): MonitorSession | undefined {
    return this.sessions.find((s) => s.view.id === connection);
  }

  #emit(view: DashboardView): void {
    for (const listener of this.#listeners) listener(view);
  }
}
