import type { RunningTask } from '../contract/alerts.js';
import type { ConnectionView } from '../contract/dashboard.js';
import type { Framework } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import { isConnectionDown } from '../core/alerts/ruleInstances.js';

/** Looks a task up by id on one connection (MonitorService.findTask fits). */
export type TaskLookup = (id: string, filter: { connection: string; framework: Framework }) => Promise<{ found: TaskDetail[] }>;

/**
 * The running tasks per-task timeout rules judge, from the tasks workers report busy with. Each
 * run is looked up once (its own start and the timeout its framework records do not change while
 * it runs), so the cost is one task lookup per task started, never one per poll; at most
 * `maxLookupsPerPoll` new ones per evaluation, so a burst of short tasks cannot load the broker
 * (the rest are asked at the next polls). A task whose start is not recorded is asked again later.
 */
export class RunningTasks {
  readonly #known = new Map<string, RunningTask>();

  constructor(readonly lookup: TaskLookup, readonly maxLookupsPerPoll = 20) {}

  async attach(connections: readonly ConnectionView[]): Promise<(ConnectionView & { runningTasks?: RunningTask[] })[]> {
    let lookups = 0;
    const current = new Set<string>();
    const out = [];
    for (const c of connections) {
      if (isConnectionDown(c)) {
        // Not judged while down (the engine keeps its alerts); keep what is known for when it is back.
        for (const key of this.#known.keys()) if (key.startsWith(`${c.id}\u0000`)) current.add(key);
        out.push(c);
        continue;
      }
      const runningTasks: RunningTask[] = [];
      for (const w of c.workers) {
        if (w.state !== 'online' || w.currentTask === null) continue;
        const key = `${c.id}\u0000${w.framework}\u0000${w.currentTask}`;
        current.add(key);
        let known = this.#known.get(key);
        if (!known && lookups < this.maxLookupsPerPoll) {
          lookups += 1;
          known = await this.#ask(c.id, w.framework, w.currentTask, w.name);
          if (known) this.#known.set(key, known);
        }
        if (known && !runningTasks.some((t) => t.id === known!.id)) runningTasks.push(known);
      }
      out.push({ ...c, runningTasks });
    }
    for (const key of this.#known.keys()) if (!current.has(key)) this.#known.delete(key);
    return out;
  }

  async #ask(connection: string, framework: Framework, id: string, worker: string): Promise<RunningTask | undefined> {
    try {
      const { found } = await this.lookup(id, { connection, framework });
      const task = found.find((t) => t.framework === framework && t.startedAt !== null && (t.state === 'running' || t.state === 'unknown'));
      if (!task) return undefined;
      return {
        id, framework, connection, queue: task.queue, name: task.name, worker: task.worker ?? worker,
        startedAt: task.startedAt!, timeoutMs: task.timeoutMs ?? null,
      };
    } catch {
      return undefined;
    }
  }
}
