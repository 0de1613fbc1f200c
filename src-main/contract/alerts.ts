import type { Framework } from './figures.js';

/**
 * Alerts in Prometheus' vocabulary (STYLE.md "The alert vocabulary"): a rule is evaluated over
 * every connection's latest view at an instant passed in; each instance (a queue, a worker, a
 * task, a connection) that meets its condition becomes an {@link Alert} moving
 * inactive → pending → firing → resolved, every move an {@link AlertTransition}, and each
 * transition that someone should hear about a {@link NotifyDecision} with its reason.
 */

/** Alert levels, least to most severe (ARCHITECTURE.md "Alert levels"). */
export type Level = 'warning' | 'error' | 'critical' | 'emergency';

/** The levels in their order: a later one is worse. */
export const levels = ['warning', 'error', 'critical', 'emergency'] as const satisfies readonly Level[];

/**
 * A figure of one queue a rule can test. Besides the contract figures: `failureRatio` is
 * 1 − successRatio (retries are not failures), `finishedCount` the tasks finished in the rate
 * window, `waitingWithoutConsumer` the waiting count when no online worker consumes the queue
 * (else 0), `workers…` the queue's worker counts, `…P95Ms` the latency percentiles.
 */
export type QueueAlertFigure =
  | 'waiting' | 'scheduled' | 'reserved' | 'running' | 'failed' | 'dead' | 'retrying'
  | 'oldestWaitingAgeMs' | 'throughputPerMin' | 'successRatio' | 'failureRatio' | 'finishedCount'
  | 'drainEtaMs' | 'waitLatencyP95Ms' | 'runLatencyP95Ms'
  | 'workersOnline' | 'workersBusy' | 'workersOffline' | 'waitingWithoutConsumer';

/**
 * A figure of one connection: its status (`ok`, `degraded`, `unreachable`, `unauthorized`), or
 * a broker health figure. `brokerMemoryRatio` is used / maxmemory (`null` without a limit),
 * `brokerEvictedKeys` the keys evicted since the previous poll, `brokerMemoryAlarm` and
 * `brokerDiskAlarm` RabbitMQ's alarms (1 raised, 0 clear). `broker.<field>` reads any numeric
 * or boolean field of the connection's `broker` figures as they are named there.
 */
export type ConnectionAlertFigure =
  | 'connectionStatus' | 'brokerMemoryRatio' | 'brokerEvictedKeys' | 'brokerMemoryAlarm' | 'brokerDiskAlarm'
  | `broker.${string}`;

/** A figure of one worker: `workerOffline` is 1 when it stopped heartbeating without a goodbye. */
export type WorkerAlertFigure = 'workerOffline';

/**
 * A figure of one running task: how long it has run, in ms, from its own start. A condition on
 * it compares with the task's own timeout where the framework records one, and with the rule's
 * `value` otherwise.
 */
export type TaskAlertFigure = 'taskRunningMs';

export type AlertFigure = QueueAlertFigure | ConnectionAlertFigure | WorkerAlertFigure | TaskAlertFigure;

/** What a rule's instances are: one per queue, connection, worker or running task. */
export type AlertSubject = 'queue' | 'connection' | 'worker' | 'task';

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/**
 * `figure op value`. A `null` figure (cannot tell) never satisfies a condition, nor a clear
 * condition. String values compare only with `==`/`!=` (connection status).
 */
export interface AlertCondition {
  figure: AlertFigure;
  op: ComparisonOp;
  value: number | string;
}

/** Where a rule applies; every member omitted means everywhere. Patterns are globs (`*`, `?`). */
export interface AlertScope {
  /** Connection id (glob). */
  connection?: string;
  framework?: Framework;
  /** Queue name (glob); queue, worker and task rules only. */
  queue?: string;
}

/** A rule as the engine uses it: durations in ms (user-written ones are parsed in core). */
export interface AlertRule {
  /** Unique; the default rules' ids can be used in the config to edit or disable them. */
  id: string;
  level: Level;
  /** A short human name (`Backlog over 1000`), for the tray and notifications. */
  name: string;
  enabled: boolean;
  scope: AlertScope;
  condition: AlertCondition;
  /** How long the condition must hold before pending turns firing; 0 fires at once. */
  forMs: number;
  /**
   * When a firing alert may resolve (hysteresis): on the same figure. Absent: as soon as the
   * condition no longer holds.
   */
  clear?: { op: ComparisonOp; value: number | string };
  /** A firing alert stays firing this long after its clear condition first held (Prometheus). */
  keepFiringForMs: number;
  /** Ratio figures count only with at least this many finished tasks in the window; else `null`. */
  minFinished?: number;
  /** Reminder interval while firing and not acknowledged; `null` = never (the default). */
  renotifyMs: number | null;
  /**
   * Predictive: the condition is met when the least-squares trend of the figure over the last
   * `spanMs` crosses `value` within `horizonMs` (already across included). Queue figures only.
   */
  predict?: { horizonMs: number; spanMs: number };
}

/** A rule as the user writes it in the config (`rules:`); durations are strings like `"5m"`. */
export interface AlertRuleConfig {
  /** The id of a default rule edits it (fields given replace the default's); another id adds a rule. */
  id: string;
  level?: Level;
  name?: string;
  enabled?: boolean;
  scope?: AlertScope;
  /**
   * For `…Ms` figures the value may be a duration string (`"5m"`), for `…Ratio` figures a
   * percentage (`"5%"`). Editing a default, the members given replace the default's.
   */
  condition?: Partial<AlertCondition>;
  for?: string;
  clear?: { op: ComparisonOp; value: number | string };
  keepFiringFor?: string;
  minFinished?: number;
  /** `"1h"`; absent or `"off"`: never. */
  renotify?: string;
  predict?: { horizon: string; span?: string };
}

/** An alert's lifecycle state. `resolved` is kept for a while so the recovery is notified and shown. */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** One instance of a rule: a rule's verdict on one queue, connection, worker or task. */
export interface Alert {
  /** `ruleId` + the labels: stable across polls, restarts and config reloads. */
  key: string;
  ruleId: string;
  level: Level;
  state: AlertState;
  /** What the alert is about: `connection`, and `framework`, `namespace`, `queue`, `worker`, `task` where they apply. */
  labels: Record<string, string>;
  /** The figure's latest value; `null` when it could not be read (the state is then kept, see core/alerts/README.md). */
  value: number | string | null;
  /** The threshold it was compared with (a task's own timeout for a per-task rule). */
  threshold: number | string;
  /** Predictive rules: ms until the trend crosses the threshold; `0` when already across. */
  forecastMs?: number | null;
  /** One line in plain words: `Backlog over 1000: prod rq default waiting 1523 > 1000`. */
  summary: string;
  /** Epoch ms when the condition began to hold for this incident; `null` when inactive. */
  activeAt: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  /** The last notification sent for this incident; `null` when none was. */
  lastNotifiedAt: number | null;
  /** Set by acknowledge: no reminders for this incident. Cleared when a new incident begins. */
  acknowledgedAt: number | null;
  /** While firing: when the clear condition began to hold, for `keepFiringFor`; else `null`. */
  keepFiringSince: number | null;
  /** Epoch ms of the evaluation that last updated it. */
  evaluatedAt: number;
  /**
   * Epoch ms of the last evaluation where its queue, worker, task or connection was there to be
   * judged (absent from older state files: `evaluatedAt` stands in).
   */
  seenAt?: number;
}

/** An alert moved from one state to another (also what the alert log writes, one JSON line each). */
export interface AlertTransition {
  at: number;
  key: string;
  ruleId: string;
  level: Level;
  from: AlertState;
  to: AlertState;
  labels: Record<string, string>;
  value: number | string | null;
  summary: string;
  /** Why a firing alert resolved without its condition clearing: its rule, connection or instance went away. */
  cause?: 'ruleRemoved' | 'connectionRemoved';
}

/** Why a notification is due (Alertmanager's reasons). */
export type NotifyReason =
  /**
   * The incident fires and nobody was told yet: it just began firing, or the snooze or
   * maintenance window that held its first notification back has ended.
   */
  | 'first'
  /** An incident that was notified resolved. */
  | 'resolved'
  /** The renotify interval elapsed while still firing. */
  | 'repeat';

/** What held a due notification back. */
export type SuppressReason = 'snoozed' | 'acknowledged' | 'maintenance';

/** The engine's verdict for one alert at one evaluation: whether to notify now, and why. */
export interface NotifyDecision {
  at: number;
  reason: NotifyReason;
  notify: boolean;
  /** Set when `notify` is false. */
  suppressedBy: SuppressReason | null;
  alert: Alert;
}

/** Which alerts a snooze or maintenance window covers; omitted members match everything. */
export interface AlertMatcher {
  /** One alert exactly. */
  key?: string;
  ruleId?: string;
  level?: Level;
  connection?: string;
  framework?: Framework;
  /** Glob. */
  queue?: string;
}

/** No notifications for matching alerts until `until` (they still change state and show). */
export interface Snooze {
  id: string;
  match: AlertMatcher;
  createdAt: number;
  until: number;
}

/** Planned work: alerts still evaluate, but nothing matching is notified between `startsAt` and `endsAt`. */
export interface MaintenanceWindow {
  id: string;
  match: AlertMatcher;
  startsAt: number;
  endsAt: number;
  comment?: string;
}

/** A maintenance window as written in the config; times are ISO 8601 strings. */
export interface MaintenanceWindowConfig {
  id?: string;
  match?: AlertMatcher;
  from: string;
  to: string;
  comment?: string;
}

/** A running task as a probe reports it, for per-task timeout rules. */
export interface RunningTask {
  id: string;
  framework: Framework;
  connection: string;
  namespace?: string;
  queue: string | null;
  name: string | null;
  worker: string | null;
  /** The task's own start (epoch ms). */
  startedAt: number;
  /** The timeout the framework records for it, in ms; `null` when it records none. */
  timeoutMs: number | null;
}

/** `listAlerts`: open and recent alerts, worst first. */
export interface AlertsView {
  alerts: Alert[];
  snoozes: Snooze[];
  maintenance: MaintenanceWindow[];
  /** When the rules were last evaluated; `null` before the first evaluation. */
  evaluatedAt: number | null;
  /**
   * The overall status at the time of the answer (ARCHITECTURE.md "Status and the tray icon"):
   * the worst firing level, `stale`, or `ok`. Absent where no monitor stands behind the view.
   */
  status?: OverallStatus;
}

/** What the tray shows: the worst firing alert's level, `ok`, or `stale` when the data cannot be trusted. */
export type OverallStatus = 'ok' | Level | 'stale';

export interface AlertsQuery {
  /** Include resolved alerts kept for display (default true). */
  includeResolved?: boolean;
  connection?: string;
}

export interface AcknowledgeQuery {
  key: string;
}

export interface SnoozeQuery {
  /** One alert by key, or every alert of a rule. */
  key?: string;
  ruleId?: string;
  /** Until this instant (epoch ms)… */
  until?: number;
  /** …or for this long (ms) from now; one of the two is given. */
  forMs?: number;
}

/**
 * The alert settings of a config file: top-level keys beside `connections` (the tray app's
 * `config.json`, or `--config FILE` in YAML or JSON).
 */
export interface AlertsConfig {
  /** Edits of the default rules (by id) and new rules. */
  rules?: AlertRuleConfig[];
  maintenance?: MaintenanceWindowConfig[];
  /**
   * The alert log (one JSON line per transition). Default: `alerts.log` in the app data folder for
   * the tray app and `serve`; the one-shot CLI commands write none unless given. `false`: none.
   */
  alertLog?: string | false;
  /** The alert state file; default `alerts-state.json` beside the log, as for `alertLog`. `false`: memory only. */
  alertState?: string | false;
}

/** `task-status check --json` and `task-status alerts --json`: one evaluation of the rules. */
export interface CheckResult {
  /** The overall status (worst firing level, `stale`, or `ok`). */
  status: OverallStatus;
  /** The process exit code: 0 ok, 1 warning, 2 error/critical/emergency, 3 unknown (`check` only; `alerts` follows the views). */
  exitCode: number;
  /** When the rules were evaluated (epoch ms); `null` when they could not be. */
  evaluatedAt: number | null;
  /** Rule instances whose figure could be read; `0` = nothing could be evaluated (exit 3). */
  evaluatedCount: number;
  /** Firing, then pending, then recently resolved alerts, worst first (`check` leaves resolved ones out). */
  alerts: Alert[];
  /** Every connection and how it was read. */
  connections: { id: string; url: string; status: 'ok' | 'degraded' | 'unreachable' | 'unauthorized' | 'stale'; detail: string | null }[];
}
