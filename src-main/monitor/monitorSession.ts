import type { ConnectionView } from '../contract/dashboard.js';
import type { ApiError } from '../contract/errors.js';
import type { Framework } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import type { TaskActionRequest, TaskListQuery } from '../contract/taskList.js';
import type { RedisWriterFactory } from '../io/writes/redisWriter.js';
import type { ProbeTaskPage } from '../probes/probe.js';

/**
 * What MonitorService needs of one connection, whatever its broker: a session per connection
 * kind (ConnectionSession for Redis, RabbitConnectionSession for RabbitMQ) owns that
 * connection's live state and never overlaps its own polls.
 */
export interface MonitorSession {
  /** The connection as the dashboard shows it after the last poll. */
  readonly view: ConnectionView;
  /**
   * `false` while a connection nobody asked for (the local RabbitMQ default) has not been read:
   * it is left out of the dashboard until it answers.
   */
  readonly isShown: boolean;
  /** Polls once; a second call joins the poll in flight. */
  poll(): Promise<ConnectionView>;
  /** A task by id on this connection: every match, and the failures met asking. */
  findTask(id: string, filter: { framework?: Framework }): Promise<{ found: TaskDetail[]; failures: ApiError[] }>;
  /** Optional (Redis sessions): a page of a queue's tasks in one state; `null` when no such queue. */
  listTasks?(query: TaskListQuery): Promise<ProbeTaskPage | null>;
  /** Optional (Redis sessions): a write action through a writer opened for it. */
  runAction?(request: TaskActionRequest, openWriter: RedisWriterFactory): Promise<{ done: string; affectedCount: number } | null>;
}
