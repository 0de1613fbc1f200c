import { createApp } from '../../bootstrap/createApp.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import type { Framework } from '../../contract/figures.js';
import { listableStates, type TaskListPage, type TaskListState, type TaskSummary } from '../../contract/taskList.js';
import { ConfigError } from '../../core/config/configError.js';
import { formatAgo, formatCount, printable } from './format.js';
import { loadConfig, type ConnectionOptions } from './loadConfig.js';
import { describeError, exitCodeFor, exitCodes } from './messages.js';
import { progress } from './progress.js';
import { renderTable } from './render/table.js';

export interface TasksOptions extends ConnectionOptions {
  queue: string;
  state: TaskListState;
  search?: string;
  offset?: string;
  limit?: string;
  framework?: Framework;
  connection?: string;
  json?: boolean;
}

function count(text: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new ConfigError('BAD_USAGE', `${flag} ${text}: a whole number from ${min} to ${max}`);
  return Number(text);
}

/**
 * `task-status tasks --queue NAME --state failed [--search TEXT] [--offset N --limit N]`: one page
 * of a queue's tasks in one state, on every connection and framework that has the queue (or the
 * ones named). Exit codes as the views: 1 no such queue, 3 a connection could not be read.
 */
export async function runTasks(options: TasksOptions): Promise<number> {
  const offset = count(options.offset, '--offset', 0, 1_000_000_000, 0);
  const limit = count(options.limit, '--limit', 1, 500, 50);
  const config = loadConfig(options);
  const app = createApp({ config, session: { sampleIntervalMs: 3_600_000 } });
  try {
    const done = progress(`reading ${config.connections.length === 1 ? config.connections[0]!.url : `${config.connections.length} connections`}`);
    const view = await app.monitor.pollAll();
    done();
    const matches = view.connections
      .filter((c) => !options.connection || c.id === options.connection)
      .flatMap((c) => c.queues)
      .filter((q) => q.queue === options.queue && (!options.framework || q.framework === options.framework));
    const unread = view.connections.filter((c) => c.status === 'unreachable' || c.status === 'unauthorized');
    for (const c of unread) if (c.statusReason) process.stderr.write(`task-status: ${describeError(c.statusReason)}\n`);
    if (matches.length === 0) {
      process.stderr.write(`task-status: ${describeError({ code: 'QUEUE_NOT_FOUND', detail: `no queue named "${options.queue}"${options.framework ? ` for ${options.framework}` : ''}${options.connection ? ` on ${options.connection}` : ''}` })}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify({ pages: [] }, null, 2)}\n`);
      return unread.length ? exitCodes.connection : exitCodes.notFound;
    }
    const pages: TaskListPage[] = [];
    const failures: ApiError[] = [];
    for (const q of matches) {
      if (!listableStates[q.framework].includes(options.state)) {
        failures.push({ code: 'BAD_USAGE', detail: `${q.framework} keeps no ${options.state} list (it lists ${listableStates[q.framework].join(', ') || 'nothing yet'})`, connection: q.connection });
        continue;
      }
      try {
        pages.push(await app.api.listTasks({
          connection: q.connection, framework: q.framework, queue: q.queue, namespace: q.namespace, state: options.state,
          offset, limit, ...(options.search ? { search: options.search } : {}),
        }));
      } catch (error) {
        if (!isApiError(error)) throw error;
        failures.push(error);
      }
    }
    for (const f of failures) process.stderr.write(`task-status: ${describeError(f)}\n`);
    process.stdout.write(options.json ? `${JSON.stringify({ pages }, null, 2)}\n` : `${pages.map((p) => renderPage(p, view.generatedAt)).join('\n\n')}\n`);
    if (unread.length || failures.some((f) => exitCodeFor(f.code) === exitCodes.connection)) return exitCodes.connection;
    if (pages.length === 0) return failures.length ? exitCodeFor(failures[0]!.code) : exitCodes.notFound;
    return exitCodes.printed;
  } finally {
    await app.close();
  }
}

/** A page as a table, with a header line that says which and how many, and the notes. */
export function renderPage(page: TaskListPage, now: number): string {
  const { query, items, total, offset } = page;
  const shown = items.length ? `${formatCount(offset + 1)}–${formatCount(offset + items.length)}` : 'none';
  const of = total === null ? '' : ` of ${formatCount(total)}${query.search ? ' matching' : ''}`;
  const title = `${query.connection} ${query.framework} ${query.namespace ?? ''} ${query.queue}: ${query.state} tasks ${shown}${of}${query.search ? ` (search "${query.search}")` : ''}`;
  const table = items.length ? renderTable<TaskSummary>(items, [
    { header: 'ID', value: (t) => t.id },
    { header: 'STATE', value: (t) => t.state },
    { header: 'TASK', value: (t) => clip(t.description ?? t.name ?? '?', 60) },
    { header: 'WHEN', value: (t) => whenOf(t, now) },
    { header: 'WORKER', value: (t) => t.worker ?? '' },
    { header: 'ERROR', value: (t) => clip(t.error ?? t.problem ?? '', 60) },
  ]) : '(no tasks)';
  const more = total !== null && offset + items.length < total ? [`next page: --offset ${offset + items.length}`] : [];
  return printable([title.replace(/ {2,}/g, ' '), table, ...[...page.notes, ...more].map((n) => `note: ${n}`)].join('\n'));
}

function whenOf(t: TaskSummary, now: number): string {
  if (t.finishedAt !== null) return `finished ${formatAgo(t.finishedAt, now)}`;
  if (t.startedAt !== null) return `started ${formatAgo(t.startedAt, now)}`;
  if (t.scheduledAt !== null) return `due ${formatAgo(t.scheduledAt, now)}`;
  if (t.enqueuedAt !== null) return `enqueued ${formatAgo(t.enqueuedAt, now)}`;
  return '';
}

function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
