import type { ApiMethods } from '../../contract/api.js';
import type { Framework } from '../../contract/figures.js';
import { actionsByFramework, confirmationFor } from '../../contract/taskList.js';
import type { RetryTarget, TaskRetrier } from './taskRetrier.js';

/**
 * Automatic retry through the same Api calls as the window's Retry button (`listTasks` of the
 * failed list, then `runTaskAction` retry per task), so it obeys `readOnly` and lands in the
 * write-actions log like any retry a person makes. Supported where the framework's failed list
 * offers retry (contract/taskList.ts `actionsByFramework`).
 */
export function apiTaskRetrier(api: Pick<ApiMethods, 'listTasks' | 'runTaskAction'>): TaskRetrier {
  return {
    supports: (framework: Framework) => actionsByFramework[framework].failed?.includes('retry') ?? false,
    async retryFailed(target: RetryTarget, limit: number) {
      const where = { connection: target.connection, framework: target.framework, queue: target.queue, ...(target.namespace ? { namespace: target.namespace } : {}) };
      const page = await api.listTasks({ ...where, state: 'failed', limit: Math.min(limit, 500) });
      if (page.readOnly) throw new Error('read-only is on: automatic retry needs readOnly: false in the config');
      const retried: string[] = [];
      const failed: string[] = [];
      for (const task of page.items) {
        const request = { ...where, action: 'retry' as const, id: task.id };
        try {
          await api.runTaskAction({ ...request, confirm: confirmationFor(request) });
          retried.push(task.id);
        } catch (error) {
          failed.push(`${task.id} (${(error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))})`);
        }
      }
      return { retried, failed };
    },
  };
}
