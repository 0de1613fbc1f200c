import type { ConnectionStatus, Framework, QueueFigures, WorkerInfo } from './figures.js';
import type { ApiError } from './errors.js';
import type { TaskDetail } from './task.js';

/** One connection as the dashboard shows it. */
export interface ConnectionView {
  /** The connection's id (its config name, or derived from the URL). */
  id: string;
  /** The connection URL with any password removed. */
  url: string;
  status: ConnectionStatus;
  /** Why the status is not `ok` (code and plain detail); `null` when ok. */
  statusReason: ApiError | null;
  /** Frameworks detected on this connection, in a stable order. */
  frameworks: Framework[];
  queues: QueueFigures[];
  workers: WorkerInfo[];
  /** When the figures shown were read (epoch ms); `null` before the first good poll. */
  takenAt: number | null;
  /** The last poll that read the broker successfully (epoch ms); `null` if none yet. */
  lastGoodPollAt: number | null;
  /** Duration of the last poll in ms; `null` before the first. */
  pollDurationMs: number | null;
  /** Redis commands (or HTTP requests) sent by the last poll; `null` before the first. */
  commandsPerPoll: number | null;
  /** Round trips taken by the last poll; `null` before the first. */
  roundTripsPerPoll: number | null;
}

/** `dashboard --json`: every connection. */
export interface DashboardView {
  connections: ConnectionView[];
  /** When this view was assembled (epoch ms). */
  generatedAt: number;
}

/** `queue --name X --json`: every match across connections and frameworks. */
export interface QueuesView {
  queues: QueueFigures[];
}

/** `task --id X --json`. */
export interface TaskView {
  task: TaskDetail;
  /** Further matches of the same id on other connections or frameworks (rare). */
  others?: TaskDetail[];
}
