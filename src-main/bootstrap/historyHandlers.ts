import type { ApiMethods } from '../contract/api.js';
import { isApiError, type ApiError } from '../contract/errors.js';
import type { HistoryRecorder } from '../monitor/historyRecorder.js';

/** The Api methods that history answers. */
export type HistoryMethodName = 'getHistory' | 'getHistoryInfo';

/**
 * The history methods, and `getTask` joined to history: every task detail a lookup finds is kept
 * (failed and dead ones 30 days, others 24 h, by retention), and a task no broker holds any more
 * is answered from the details kept, its `sources` saying so.
 */
export function withHistory(handlers: Omit<ApiMethods, HistoryMethodName>, history: HistoryRecorder): ApiMethods {
  return {
    ...handlers,
    async getTask(args) {
      try {
        const view = await handlers.getTask(args);
        for (const task of [view.task, ...(view.others ?? [])]) history.recordTask(task);
        return view;
      } catch (error) {
        if (!isApiError(error) || error.code !== 'TASK_NOT_FOUND') throw error;
        const [task, ...others] = history.tasks(args.id, { connection: args.connection, framework: args.framework });
        if (!task) throw error;
        const kept = (t: typeof task) => ({ ...t, sources: [...t.sources, 'history (no longer in the broker)'] });
        return others.length ? { task: kept(task), others: others.map(kept) } : { task: kept(task) };
      }
    },
    async getHistory(query) {
      if (query.toAt < query.fromAt) throw { code: 'BAD_USAGE', detail: 'toAt is before fromAt' } satisfies ApiError;
      return history.query(query);
    },
    async getHistoryInfo() {
      return history.info();
    },
  };
}
