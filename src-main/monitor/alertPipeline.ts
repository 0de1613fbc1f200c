import type { Unsubscribe } from '../contract/api.js';
import type { Alert, AlertRule, AlertsQuery, AlertsView, AlertTransition, MaintenanceWindow, NotifyDecision, RunningTask, Snooze, SnoozeQuery } from '../contract/alerts.js';
import type { ConnectionView, DashboardView } from '../contract/dashboard.js';
import type { Framework } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import { isConnectionDown } from '../core/alerts/ruleInstances.js';
import { acknowledgeAlert, snoozeAlerts } from '../core/alerts/acknowledge.js';
import type { AlertableConnection } from '../core/alerts/alertFigures.js';
import { emptyAlertsState, type AlertsState } from '../core/alerts/alertsState.js';
import type { AlertLog, AlertStore } from '../core/alerts/alertStore.js';
import { byConcern, evaluateRules } from '../core/alerts/evaluateRules.js';
import { overallStatusWithAlerts } from '../core/status/alertStatus.js';

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

/** Looks a task up by id on one connection (MonitorService.findTask fits). */
export type TaskLookup = (id: string, filter: { connection: string; framework: Framework }) => Promise<{ found: TaskDetail[] }>;

/**
 * The running tasks per-task timeout rules judge, from the tasks workers report busy with. Each
 * run is looked up once (its own start and the timeout its framework records do not change while
 * it runs), so the cost is one task lookup per task started, never one per poll; at most
 * `maxLookupsPerPoll` new ones per evaluation, so a burst of short tasks cannot load the broker
 * (the rest are asked at the next polls). A task whose start is not recorded is asked again later.
 */
export class RunningTasks {
  readonly #known = new Map<string, RunningTask>();

  constructor(readonly lookup: TaskLookup, readonly maxLookupsPerPoll = 20) {}

  async attach(connections: readonly ConnectionView[]): Promise<(ConnectionView & { runningTasks?: RunningTask[] })[]> {
    let lookups = 0;
    const current = new Set<string>();
    const out = [];
    for (const c of connections) {
      if (isConnectionDown(c)) {
        // Not judged while down (the engine keeps its alerts); keep what is known for when it is back.
        for (const key of this.#known.keys()) if (key.startsWith(`${c.id}\u0000`)) current.add(key);
        out.push(c);
        continue;
      }
      const runningTasks: RunningTask[] = [];
      for (const w of c.workers) {
        if (w.state !== 'online' || w.currentTask === null) continue;
        const key = `${c.id}\u0000${w.framework}\u0000${w.currentTask}`;
        current.add(key);
        let known = this.#known.get(key);
        if (!known && lookups < this.maxLookupsPerPoll) {
          lookups += 1;
          known = await this.#ask(c.id, w.framework, w.currentTask, w.name);
          if (known) this.#known.set(key, known);
        }
        if (known && !runningTasks.some((t) => t.id === known!.id)) runningTasks.push(known);
      }
      out.push({ ...c, runningTasks });
    }
    for (const key of this.#known.keys()) if (!current.has(key)) this.#known.delete(key);
    return out;
  }

  async #ask(connection: string, framework: Framework, id: string, worker: string): Promise<RunningTask | undefined> {
    try {
      const { found } = await this.lookup(id, { connection, framework });
      const task = found.find((t) => t.framework === framework && t.startedAt !== null && (t.state === 'running' || t.state === 'unknown'));
      if (!task) return undefined;
      return {
        id, framework, connection, queue: task.queue, name: task.name, worker: task.worker ?? worker,
        startedAt: task.startedAt!, timeoutMs: task.timeoutMs ?? null,
      };
    } catch {
      return undefined;
    }
  }
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
