import type { DashboardView } from '../../contract/dashboard.js';
import { isApiError } from '../../contract/errors.js';
import type { Framework } from '../../contract/figures.js';
import type { TaskStatusApp } from '../../bootstrap/createApp.js';
import { describeError, exitCodeFor, exitCodes } from './messages.js';
import { renderDashboard, renderConnectionHeader, renderWorkers } from './render/dashboardText.js';
import { renderQueueDetail } from './render/queueRows.js';
import { renderTask } from './render/taskText.js';
import type { ViewOutput } from './runView.js';

/** Connections that could not be read: reported on stderr, and exit code 3 after printing. */
function connectionFailures(view: DashboardView): number {
  const failed = view.connections.filter((c) => c.status === 'unreachable' || c.status === 'unauthorized');
  for (const c of failed) if (c.statusReason) process.stderr.write(`task-status: ${describeError(c.statusReason)}\n`);
  return failed.length ? exitCodes.connection : exitCodes.printed;
}

export function dashboardView(json: boolean, connection?: string) {
  return async (app: TaskStatusApp, _view: DashboardView): Promise<ViewOutput> => {
    const view = await app.api.getDashboard({ connection });
    const exitCode = connectionFailures(view);
    return { text: json ? JSON.stringify(view, null, 2) : renderDashboard(view), exitCode };
  };
}

export function queueView(json: boolean, query: { name: string; framework?: Framework; connection?: string }) {
  return async (app: TaskStatusApp, view: DashboardView): Promise<ViewOutput> => {
    const failures = connectionFailures(view);
    try {
      const { queues } = await app.api.getQueues(query);
      if (json) return { text: JSON.stringify({ queues }, null, 2), exitCode: failures };
      const text = queues.map((q) => {
        const c = view.connections.find((x) => x.id === q.connection)!;
        const workers = c.workers.filter((w) => w.framework === q.framework && (w.queues === null || w.queues.includes(q.queue)));
        return [renderConnectionHeader(c, view.generatedAt), renderQueueDetail(q), workers.length ? renderWorkers(workers, view.generatedAt) : ''].filter(Boolean).join('\n\n');
      }).join('\n\n');
      return { text, exitCode: failures };
    } catch (error) {
      if (!isApiError(error)) throw error;
      process.stderr.write(`task-status: ${describeError(error)}${failures ? ' (on the connections that could be read)' : ''}\n`);
      return { text: json ? JSON.stringify({ queues: [] }, null, 2) : '', exitCode: failures || exitCodeFor(error.code) };
    }
  };
}

export function taskView(json: boolean, query: { id: string; framework?: Framework; connection?: string }) {
  return async (app: TaskStatusApp, view: DashboardView): Promise<ViewOutput> => {
    const failures = connectionFailures(view);
    try {
      const result = await app.api.getTask(query);
      const text = json ? JSON.stringify(result, null, 2)
        : [result.task, ...(result.others ?? [])].map(renderTask).join('\n\n');
      return { text, exitCode: failures };
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (failures === 0 || error.code === 'TASK_NOT_FOUND') process.stderr.write(`task-status: ${describeError(error)}\n`);
      return { text: '', exitCode: failures || exitCodeFor(error.code) };
    }
  };
}
