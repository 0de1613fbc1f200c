import type { ApiMethods } from '../contract/api.js';
import type { ApiError } from '../contract/errors.js';
import type { MonitorService } from '../monitor/monitorService.js';

/**
 * The Api's methods over the monitor's live state. Errors are thrown as ApiError values (codes),
 * which every transport passes on unchanged.
 */
export function createApiHandlers(monitor: MonitorService): ApiMethods {
  return {
    async getDashboard({ connection }) {
      const view = monitor.dashboard();
      return connection ? { ...view, connections: view.connections.filter((c) => c.id === connection) } : view;
    },
    async getQueues({ name, framework, connection }) {
      const queues = monitor.dashboard().connections
        .filter((c) => !connection || c.id === connection)
        .flatMap((c) => c.queues)
        .filter((q) => q.queue === name && (!framework || q.framework === framework));
      if (queues.length === 0) {
        const error: ApiError = { code: 'QUEUE_NOT_FOUND', detail: `no queue named "${name}"${framework ? ` for ${framework}` : ''}${connection ? ` on ${connection}` : ''}` };
        throw error;
      }
      return { queues };
    },
    async getTask({ id, framework, connection }) {
      const { found, failures } = await monitor.findTask(id, { framework, connection });
      const [task, ...others] = found;
      if (!task) {
        const error: ApiError = failures[0] && failures.length > 0
          ? failures[0]
          : { code: 'TASK_NOT_FOUND', detail: `no task with id "${id}"${framework ? ` for ${framework}` : ''}${connection ? ` on ${connection}` : ''}` };
        throw error;
      }
      return others.length ? { task, others } : { task };
    },
  };
}
