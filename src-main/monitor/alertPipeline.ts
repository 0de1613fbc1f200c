import type { Unsubscribe } from '../contract/api.js';
import type { Alert, AlertRule, AlertsQuery, AlertsView, AlertTransition, MaintenanceWindow, NotifyDecision, Snooze, SnoozeQuery } from '../contract/alerts.js';
import type { ConnectionView, DashboardView } from '../contract/dashboard.js';
import { acknowledgeAlert, snoozeAlerts } from '../core/alerts/acknowledge.js';
import type { AlertableConnection } from '../core/alerts/alertFigures.js';
import { emptyAlertsState, type AlertsState } from '../core/alerts/alertsState.js';
import type { AlertLog, AlertStore } from '../core/alerts/alertStore.js';
import { byConcern, evaluateRules } from '../core/alerts/evaluateRules.js';
import { overallStatusWithAlerts } from '../core/status/alertStatus.js';
import { RunningTasks, type TaskLookup } from './alertRunningTasks.js';

export { RunningTasks, type TaskLookup } from './alertRunningTasks.js';

/**
 * The alerts stage of the monitor's per-poll pipeline (probe → metrics → alerts → history →
 * events). It owns the alert state (one owner, STYLE.md habit 6): after every poll
 * MonitorService hands it every connection's latest view and the poll's time; it evaluates the
 * rules (pure, core/alerts), saves the state, appends the transitions to the alert log, then
 * tells subscribers. Nothing here reads the clock.
 *
 * ## Subscribing (for notifications, tray, actions, webhooks)
 *
 * ```ts
 * const stop = pipeline.onAlertDecision((d) => {
 *   if (!d.notify) return;               // held back: d.suppressedBy says why (snoozed, acknowledged, maintenance)
 *   notify(d.reason, d.alert);           // 'first' (incident fired) | 'resolved' | 'repeat' (renotify interval)
 * });
 * ```
 *
 * - `onAlertDecision(listener)`: once per alert per evaluation where a notification became due
 *   (`notify: true`), or a due one was held back as the alert changed state (`notify: false` +
 *   `suppressedBy`). One incident gives one `first` and, if that was sent, one `resolved`;
 *   `repeat` only with a rule's `renotifyMs`. Each decision is final: it is never re-emitted,
 *   and the state it implies (`lastNotifiedAt`) is saved before listeners run.
 * - `onAlertTransition(listener)`: every state change (inactive → pending → firing → resolved),
 *   the same records the alert log writes.
 * - `onDidChangeAlerts(listener)`: the whole {@link AlertsView} after each evaluation that changed
 *   something, and after acknowledge or snooze.
 *
 * Listeners run synchronously, in subscription order, after the evaluation was saved; one that
 * throws is reported through `onListenerError` and does not stop the others.
 */
export interface AlertSubscriptions {
  onAlertDecision(listener: (decision: NotifyDecision) => void): Unsubscribe;
  onAlertTransition(listener: (transition: AlertTransition) => void): Unsubscribe;
  onDidChangeAlerts(listener: (view: AlertsView) => void): Unsubscribe;
}

export interface AlertPipelineDeps {
  rules: readonly AlertRule[];
  maintenance?: readonly MaintenanceWindow[];
  /** State across restarts; without it the state lives in memory only. */
  store?: AlertStore;
  /** The alert log; without it transitions are not written anywhere. */
  log?: AlertLog;
  /**
   * The poll interval: with it every view carries the overall status at its evaluation (the
   * worst firing level, `stale`, or `ok`); staleness is measured in it.
   */
  pollIntervalMs?: number;
  /** How long resolved alerts are kept for display (default 15 min). */
  resolvedRetentionMs?: number;
  /** A listener threw: it is reported here (default: ignored) and the others still run. */
  onListenerError?: (error: unknown) => void;
}

/** What one evaluation produced. */
export interface AlertPipelineUpdate {
  at: number;
  transitions: AlertTransition[];
  decisions: NotifyDecision[];
  /** Instances whose figure could be read; `0` = nothing could be evaluated. */
  evaluatedCount: number;
}

export class AlertPipeline implements AlertSubscriptions {
  #rules: readonly AlertRule[];
  #maintenance: readonly MaintenanceWindow[];
  #state: AlertsState;
  #evaluatedCount = 0;
  #connections: readonly ConnectionView[] = [];
  readonly #decisionListeners = new Set<(d: NotifyDecision) => void>();
  readonly #transitionListeners = new Set<(t: AlertTransition) => void>();
  readonly #viewListeners = new Set<(v: AlertsView) => void>();

  constructor(readonly deps: AlertPipelineDeps) {
    this.#rules = deps.rules;
    this.#maintenance = deps.maintenance ?? [];
    const saved = deps.store?.load() ?? null;
    this.#state = saved ? { ...emptyAlertsState(), alerts: saved.alerts, snoozes: saved.snoozes, evaluatedAt: saved.evaluatedAt } : emptyAlertsState();
  }

  get rules(): readonly AlertRule[] {
    return this.#rules;
  }

  /** Rule instances whose figure could be read at the last evaluation; `0` before the first. */
  get evaluatedCount(): number {
    return this.#evaluatedCount;
  }

  /** Alerts firing now, worst first. */
  firing(): Alert[] {
    return this.#state.alerts.filter((a) => a.state === 'firing');
  }

  /**
   * New rules or maintenance windows (a config reload): the state carries across, as
   * Prometheus' `CopyState`; alerts of rules that are gone resolve at the next evaluation.
   */
  reload(config: { rules: readonly AlertRule[]; maintenance?: readonly MaintenanceWindow[] }): void {
    this.#rules = config.rules;
    this.#maintenance = config.maintenance ?? [];
  }

  /** Evaluates every rule over the connections' latest views at `now` (the poll's time). */
  evaluate(connections: readonly AlertableConnection[], now: number): AlertPipelineUpdate {
    const result = evaluateRules({ connections }, this.#state, this.#rules, now, {
      maintenance: this.#maintenance,
      ...(this.deps.resolvedRetentionMs !== undefined ? { resolvedRetentionMs: this.deps.resolvedRetentionMs } : {}),
    });
    const changed = result.transitions.length > 0 || result.notifications.length > 0 || !sameAlerts(this.#state.alerts, result.state.alerts)
      || result.state.snoozes.length !== this.#state.snoozes.length;
    this.#state = result.state;
    this.#evaluatedCount = result.evaluatedCount;
    this.#connections = connections;
    // Written when something a restart must know changed (not at every quiet poll).
    if (changed) this.#save();
    if (result.transitions.length) this.deps.log?.append(result.transitions);
    for (const t of result.transitions) this.#tell(this.#transitionListeners, t);
    for (const d of result.notifications) this.#tell(this.#decisionListeners, d);
    if (changed) this.#tell(this.#viewListeners, this.view());
    return { at: now, transitions: result.transitions, decisions: result.notifications, evaluatedCount: result.evaluatedCount };
  }

  /** Open and recent alerts, worst first, with the snoozes and maintenance windows in force. */
  view(query: AlertsQuery = {}): AlertsView {
    const alerts = this.#state.alerts
      .filter((a) => query.includeResolved !== false || a.state !== 'resolved')
      .filter((a) => query.connection === undefined || a.labels.connection === query.connection)
      .sort(byConcern);
    const at = this.#state.evaluatedAt;
    const { pollIntervalMs } = this.deps;
    return {
      alerts,
      snoozes: this.#state.snoozes.filter((s) => at === null || s.until > at),
      maintenance: [...this.#maintenance],
      evaluatedAt: at,
      ...(pollIntervalMs !== undefined && at !== null
        ? { status: overallStatusWithAlerts([...this.#connections], this.#state.alerts, at, pollIntervalMs).status } : {}),
    };
  }

  /** Acknowledges an open alert: no reminders for this incident. `null` when no open alert has that key. */
  acknowledge(key: string, now: number): Alert | null {
    const result = acknowledgeAlert(this.#state, key, now);
    if (!result) return null;
    this.#state = result.state;
    this.#save();
    this.#tell(this.#viewListeners, this.view());
    return result.alert;
  }

  /** Snoozes one alert or a rule's alerts until `query.until` (or for `query.forMs`). */
  snooze(query: SnoozeQuery, now: number): Snooze {
    const result = snoozeAlerts(this.#state, query, now);
    this.#state = result.state;
    this.#save();
    this.#tell(this.#viewListeners, this.view());
    return result.snooze;
  }

  onAlertDecision(listener: (decision: NotifyDecision) => void): Unsubscribe {
    return subscribe(this.#decisionListeners, listener);
  }

  onAlertTransition(listener: (transition: AlertTransition) => void): Unsubscribe {
    return subscribe(this.#transitionListeners, listener);
  }

  onDidChangeAlerts(listener: (view: AlertsView) => void): Unsubscribe {
    return subscribe(this.#viewListeners, listener);
  }

  #save(): void {
    const { alerts, snoozes, evaluatedAt } = this.#state;
    this.deps.store?.save({ version: 1, alerts, snoozes, evaluatedAt });
  }

  #tell<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.deps.onListenerError?.(error);
      }
    }
  }
}

function subscribe<T>(set: Set<T>, listener: T): Unsubscribe {
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}

/** Whether two alert lists show the same thing (ignoring `evaluatedAt`, which moves every poll). */
function sameAlerts(a: readonly Alert[], b: readonly Alert[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.key === y.key && x.state === y.state && x.value === y.value && x.acknowledgedAt === y.acknowledgedAt && x.lastNotifiedAt === y.lastNotifiedAt;
  });
}

/** What {@link attachAlertPipeline} needs of the monitor (MonitorService fits). */
export interface DashboardSource {
  onDidChangeDashboard(listener: (view: DashboardView) => void): Unsubscribe;
  findTask: TaskLookup;
}

export interface AttachedAlerts {
  /** Resolves once every dashboard heard so far has been evaluated. */
  settled(): Promise<void>;
  detach(): void;
}

/**
 * Runs the pipeline after every poll: each dashboard the monitor emits is evaluated at its own
 * `generatedAt` (the time is passed in, never read here), one at a time and in order. Running
 * tasks are attached only while some enabled rule judges tasks.
 */
export function attachAlertPipeline(monitor: DashboardSource, pipeline: AlertPipeline, onError: (error: unknown) => void = () => {}): AttachedAlerts {
  const running = new RunningTasks((id, filter) => monitor.findTask(id, filter));
  let chain: Promise<void> = Promise.resolve();
  const unsubscribe = monitor.onDidChangeDashboard((view) => {
    chain = chain.then(async () => {
      const judgesTasks = pipeline.rules.some((r) => r.enabled && r.condition.figure === 'taskRunningMs');
      const connections = judgesTasks ? await running.attach(view.connections) : view.connections;
      pipeline.evaluate(connections, view.generatedAt);
    }).catch(onError);
  });
  return { settled: () => chain, detach: unsubscribe };
}
