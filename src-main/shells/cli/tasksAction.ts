import { createApp } from '../../bootstrap/createApp.js';
import { isApiError } from '../../contract/errors.js';
import type { Framework } from '../../contract/figures.js';
import { confirmationFor, type TaskActionKind } from '../../contract/taskList.js';
import { ConfigError } from '../../core/config/configError.js';
import { loadConfig, type ConnectionOptions } from './loadConfig.js';
import { describeError, exitCodeFor, exitCodes } from './messages.js';

export interface TaskActionOptions extends ConnectionOptions {
  queue: string;
  id?: string;
  framework?: Framework;
  connection?: string;
  yes?: boolean;
  json?: boolean;
}

/**
 * `task-status retry|delete --queue Q --id X --yes` and `task-status purge --queue Q --yes`: one
 * write action through the Api, as the window's buttons do. `--yes` is the confirmation; the
 * config must say `readOnly: false` (else exit 2, nothing written). The queue must name exactly
 * one queue (narrow with --framework / --connection). Exit 0 done, 1 no such queue or task.
 */
export async function runTaskActionCommand(action: TaskActionKind, options: TaskActionOptions): Promise<number> {
  if (action !== 'purge' && !options.id) throw new ConfigError('BAD_USAGE', `${action} needs --id`);
  if (!options.yes) throw new ConfigError('BAD_USAGE', `${action} writes to the broker: add --yes to confirm`);
  const config = loadConfig(options);
  const app = createApp({ config, session: { sampleIntervalMs: 3_600_000 } });
  try {
    const view = await app.monitor.pollAll();
    const matches = view.connections.filter((c) => !options.connection || c.id === options.connection).flatMap((c) => c.queues)
      .filter((q) => q.queue === options.queue && (!options.framework || q.framework === options.framework));
    if (matches.length === 0) {
      process.stderr.write(`task-status: ${describeError({ code: 'QUEUE_NOT_FOUND', detail: `no queue named "${options.queue}"` })}\n`);
      return exitCodes.notFound;
    }
    if (matches.length > 1) {
      throw new ConfigError('BAD_USAGE', `"${options.queue}" names ${matches.length} queues (${matches.map((q) => `${q.connection} ${q.framework} ${q.namespace}`).join('; ')}): narrow with --framework or --connection`);
    }
    const q = matches[0]!;
    const request = { connection: q.connection, framework: q.framework, queue: q.queue, namespace: q.namespace, action, ...(options.id ? { id: options.id } : {}) };
    try {
      const result = await app.api.runTaskAction({ ...request, confirm: confirmationFor(request) });
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `task-status: ${result.done}\n`);
      return exitCodes.printed;
    } catch (error) {
      if (!isApiError(error)) throw error;
      process.stderr.write(`task-status: ${describeError(error)}\n`);
      // Refused by read-only: a configuration matter, not an unreadable connection.
      return error.code === 'PERMISSION_DENIED' && /read-only/.test(error.detail) ? exitCodes.usage : exitCodeFor(error.code);
    }
  } finally {
    await app.close();
  }
}
