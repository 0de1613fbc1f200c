import type { DashboardView, QueuesView, TaskView } from './dashboard.js';
import type { ApiError } from './errors.js';
import type { Framework } from './figures.js';
import type { HistoryInfo, HistoryQuery, HistoryView } from './history.js';
import type { TaskActionRequest, TaskActionResult, TaskListPage, TaskListQuery } from './taskList.js';
import type { ConnectionEdit, ConnectionTest, SettingsEdit, SettingsSaved, SettingsView } from './settings.js';
import type { AcknowledgeQuery, Alert, AlertsQuery, AlertsView, Snooze, SnoozeQuery } from './alerts.js';

/**
 * The one place a call or an event of the Api is written down (STYLE.md habit 5).
 * The preload bridge, the IPC handlers, the HTTP routes, the renderer client and the CLI's JSON
 * are all derived from these two interfaces; `endpoints.ts` lists the member names so that a
 * transport missing one fails to compile.
 *
 * Every method takes one argument object (arguments by name, so transports never depend on
 * argument order) and resolves with plain data, or rejects with an {@link ApiError}.
 */
export interface ApiMethods {
  /** Every connection with its queues and workers, as last polled. */
  getDashboard(args: DashboardQuery): Promise<DashboardView>;
  /** Every queue called `name` (exactly) across connections and frameworks. */
  getQueues(args: QueueQuery): Promise<QueuesView>;
  /** One task by id, looked up on every connection (or the one named). */
  getTask(args: TaskQuery): Promise<TaskView>;
  /**
   * Stored figures of one queue (or of a connection) over a range, at most `maxPoints` (1000)
   * points per series; a gap in polling is a `null` point, never a zero (contract/history.ts).
   */
  getHistory(args: HistoryQuery): Promise<HistoryView>;
  /** The history store's state for Settings: on or off, size, retention, oldest point kept. */
  getHistoryInfo(args: HistoryInfoQuery): Promise<HistoryInfo>;
  /** One page of a queue's tasks in one state, optionally searched (contract/taskList.ts). */
  listTasks(args: TaskListQuery): Promise<TaskListPage>;
  /**
   * A write action (retry, delete, purge), confirmed by `confirm`, logged; refused with
   * PERMISSION_DENIED while read-only is on (the default).
   */
  runTaskAction(args: TaskActionRequest): Promise<TaskActionResult>;
  /** The settings this face runs with, never a password (contract/settings.ts); editable in the tray app only. */
  getSettings(args: Record<string, never>): Promise<SettingsView>;
  /** Saves the Settings form (tray app): passwords sealed with the OS keychain; PERMISSION_DENIED elsewhere. */
  saveSettings(args: SettingsEdit): Promise<SettingsSaved>;
  /** Reads a connection once with these settings (tray app); PERMISSION_DENIED in the web face. */
  testConnection(args: { connection: ConnectionEdit }): Promise<ConnectionTest>;
  /** Firing, pending and recently resolved alerts, worst first, with snoozes and the overall status. */
  getAlerts(args: AlertsQuery): Promise<AlertsView>;
  /** Acknowledges an open alert (no reminders for this incident); BAD_USAGE when no open alert has that key. */
  acknowledgeAlert(args: AcknowledgeQuery): Promise<Alert>;
  /** Holds notifications of one alert (`key`) or a rule (`ruleId`) back until `until` (or for `forMs`). */
  snoozeAlert(args: SnoozeQuery): Promise<Snooze>;
}

/** Events pushed to subscribers; the member name is the event name (`on` + Capital). */
export interface ApiEvents {
  /** A poll finished and the dashboard changed. */
  onDidChangeDashboard: DashboardView;
  /** The alerts changed (an evaluation moved one, or an acknowledge or snooze). */
  onDidChangeAlerts: AlertsView;
}

export interface DashboardQuery {
  /** Only this connection id. */
  connection?: string;
}

export interface QueueQuery {
  /** Exact queue name. */
  name: string;
  framework?: Framework;
  connection?: string;
}

export interface TaskQuery {
  id: string;
  framework?: Framework;
  connection?: string;
}

/** `getHistoryInfo` takes no argument: an empty object. */
export type HistoryInfoQuery = Record<string, never>;

/** Returned by every subscription: call it to stop listening. */
export type Unsubscribe = () => void;

/** The Api as a client sees it: the methods plus one subscribe function per event. */
export type Api = ApiMethods & {
  [E in keyof ApiEvents]: (listener: (event: ApiEvents[E]) => void) => Unsubscribe;
};

/** What a method call returns over a transport (IPC, HTTP): a value or a coded error. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type ApiMethodName = keyof ApiMethods;
export type ApiEventName = keyof ApiEvents;
export type ApiArgs<M extends ApiMethodName> = Parameters<ApiMethods[M]>[0];
export type ApiReturn<M extends ApiMethodName> = Awaited<ReturnType<ApiMethods[M]>>;
