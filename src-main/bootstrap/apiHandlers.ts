import type { ApiMethods } from '../contract/api.js';
import { toApiError, type ApiError } from '../contract/errors.js';
import type { MonitorService } from '../monitor/monitorService.js';
import type { SettingsMethodName } from './settingsHandlers.js';
import type { HistoryMethodName } from './historyHandlers.js';
import type { AlertMethodName } from './alertHandlers.js';
import { actionsFor, confirmationFor, taskListStates, type ActionLogEntry } from '../contract/taskList.js';
import type { RedisWriterFactory } from '../io/writes/redisWriter.js';

/** Whether and how write actions run (ARCHITECTURE.md: read-only by default, confirmed, logged). */
export interface WriteOptions {
  readOnly: boolean;
  /** A writer factory for a connection's databases; `null` when that connection cannot be written. */
  openWriter(connection: string): RedisWriterFactory | null;
  /** Appends one line to the actions log. */
  log(entry: ActionLogEntry): void;
}

const readOnlyWrites: WriteOptions = { readOnly: true, openWriter: () => null, log: () => {} };

/**
 * The Api's methods over the monitor's live state. Errors are thrown as ApiError values (codes),
 * which every transport passes on unchanged.
 */
export function createApiHandlers(monitor: MonitorService, writes: WriteOptions = readOnlyWrites): Omit<ApiMethods, HistoryMethodName | AlertMethodName | SettingsMethodName> {
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
    async listTasks(query) {
      const page = await monitor.listTasks(query);
      if (!page) throw { code: 'QUEUE_NOT_FOUND', detail: `no ${query.framework} queue named "${query.queue}" on ${query.connection}`, connection: query.connection } satisfies ApiError;
      return { ...page, actions: writes.readOnly ? [] : actionsFor(query.framework, query.state), readOnly: writes.readOnly };
    },
    async runTaskAction(request) {
      const at = monitor.clock.now();
      const { connection, framework, queue, namespace, action, id } = request;
      const entry = { at, connection, framework, queue, ...(namespace ? { namespace } : {}), action, ...(id ? { id } : {}) };
      const refuse = (error: ApiError): never => {
        writes.log({ ...entry, outcome: 'refused', detail: error.detail });
        throw { ...error, connection };
      };
      if (writes.readOnly) refuse({ code: 'PERMISSION_DENIED', detail: 'read-only is on: actions are allowed only with "readOnly: false" in the config (the Settings switch in the tray app)' });
      if (action !== 'purge' && !id) refuse({ code: 'BAD_USAGE', detail: `${action} needs the task id` });
      if (request.confirm !== confirmationFor(request)) refuse({ code: 'BAD_USAGE', detail: `${action} is not confirmed: "confirm" must be "${confirmationFor(request)}"` });
      if (!taskListStates.some((state) => actionsFor(framework, state).includes(action))) {
        refuse({ code: 'BAD_USAGE', detail: `${framework} offers no ${action} action` });
      }
      let result: Awaited<ReturnType<MonitorService['runAction']>>;
      try {
        result = await monitor.runAction(request, writes.openWriter);
      } catch (error) {
        const reason: ApiError = toApiError(error);
        writes.log({ ...entry, outcome: reason.code === 'BAD_USAGE' || reason.code === 'TASK_NOT_FOUND' ? 'refused' : 'failed', detail: reason.detail });
        throw { ...reason, connection };
      }
      if (!result) return refuse({ code: 'QUEUE_NOT_FOUND', detail: `no ${framework} queue named "${queue}" with actions on ${connection}` });
      writes.log({ ...entry, outcome: 'done', detail: result.done, affectedCount: result.affectedCount });
      return { request, done: result.done, affectedCount: result.affectedCount, at };
    },
  };
}
