import type { AlertRule, RunningTask } from '../../../src-main/contract/alerts.js';
import type { ConnectionView } from '../../../src-main/contract/dashboard.js';
import type { QueueFigures, WorkerInfo } from '../../../src-main/contract/figures.js';
import type { AlertableConnection } from '../../../src-main/core/alerts/alertFigures.js';
import { defaultRules } from '../../../src-main/core/alerts/defaultRules.js';
import type { AlertState, MaintenanceWindow, NotifyDecision } from '../../../src-main/contract/alerts.js';
import { emptyAlertsState, type AlertsState } from '../../../src-main/core/alerts/alertsState.js';
import { evaluateRules } from '../../../src-main/core/alerts/evaluateRules.js';

export const minute = 60_000;
export const t0 = 1_700_000_000_000;

/** One queue's figures with every figure readable and nothing wrong. */
export function queue(name: string, overrides: Partial<QueueFigures> = {}): QueueFigures {
  return {
    connection: 'prod', framework: 'rq', queue: name, namespace: 'db0',
    waiting: 0, scheduled: 0, reserved: null, running: 0, failed: 0, dead: null, retrying: null,
    oldestWaitingAgeMs: 0, throughputPerMin: null, waitLatencyMs: null, runLatencyMs: null, successRatio: null,
    finishedCount: 0, drainEtaMs: 0, workers: { online: 1, busy: 0, offline: 0 }, takenAt: t0, notes: {},
    ...overrides,
  };
}

export function worker(name: string, overrides: Partial<WorkerInfo> = {}): WorkerInfo {
  return {
    name, framework: 'rq', connection: 'prod', state: 'online', busy: false, lastSeenAt: t0,
    currentTask: null, queues: ['default'], hostname: 'host', pid: 1, ...overrides,
  };
}

export function task(id: string, startedAt: number, timeoutMs: number | null, overrides: Partial<RunningTask> = {}): RunningTask {
  return { id, framework: 'rq', connection: 'prod', queue: 'default', name: 'jobs.slow', worker: 'w1', startedAt, timeoutMs, ...overrides };
}

/** The connection `prod` after a good poll at `at`. */
export function connection(at: number, overrides: Partial<AlertableConnection> = {}): AlertableConnection {
  const view: ConnectionView = {
    id: 'prod', url: 'redis://127.0.0.1:6390/0', status: 'ok', statusReason: null, frameworks: ['rq'],
    queues: [], workers: [], takenAt: at, lastGoodPollAt: at, pollDurationMs: 2, commandsPerPoll: 3, roundTripsPerPoll: 1,
  };
  return { ...view, ...overrides };
}

/** A default rule by id, with overrides. */
export function rule(id: string, overrides: Partial<AlertRule> = {}): AlertRule {
  const found = defaultRules.find((r) => r.id === id);
  if (!found) throw new Error(`no default rule ${id}`);
  return { ...found, ...overrides };
}


export interface TimelineStep {
  at: number;
  /** The state of each alert after this step, by key (absent = inactive). */
  states: Record<string, AlertState>;
  /** Decisions this step, as `reason` (sent) or `reason/suppressedBy` (held back). */
  notified: string[];
  decisions: NotifyDecision[];
  state: AlertsState;
}

/**
 * A timeline (STYLE.md habit 4): `connectionsAt(i, at)` gives the snapshot at step i (fixed
 * steps of `stepMs` from t0); `before(i, state, at)` may change the state before a step
 * (acknowledge, snooze). Returns every step's alert states and notifications.
 */
export function runTimeline(rules: readonly AlertRule[], steps: number, connectionsAt: (i: number, at: number) => AlertableConnection[],
  options: { stepMs?: number; maintenance?: MaintenanceWindow[]; before?: (i: number, state: AlertsState, at: number) => AlertsState; start?: AlertsState } = {}): TimelineStep[] {
  const stepMs = options.stepMs ?? minute;
  let state = options.start ?? emptyAlertsState();
  const out: TimelineStep[] = [];
  for (let i = 0; i < steps; i++) {
    const at = t0 + i * stepMs;
    if (options.before) state = options.before(i, state, at);
    const result = evaluateRules({ connections: connectionsAt(i, at) }, state, rules, at, { maintenance: options.maintenance ?? [] });
    state = result.state;
    out.push({
      at,
      states: Object.fromEntries(state.alerts.map((a) => [a.key, a.state])),
      notified: result.notifications.map((d) => (d.notify ? d.reason : `${d.reason}/${d.suppressedBy}`)),
      decisions: result.notifications,
      state,
    });
  }
  return out;
}

/** The states of one rule's only alert over a timeline, `inactive` where there is none. */
export function statesOf(steps: readonly TimelineStep[], ruleId: string): AlertState[] {
  return steps.map((s) => {
    const found = Object.entries(s.states).filter(([k]) => k.startsWith(`${ruleId}{`));
    if (found.length > 1) throw new Error(`${ruleId}: ${found.length} alerts at ${s.at}`);
    return found[0]?.[1] ?? 'inactive';
  });
}

/** A series of one queue's figure at fixed steps: `series('waiting', [0, 1500, …])`. */
export function queueSeries<K extends keyof QueueFigures>(figure: K, values: readonly QueueFigures[K][], overrides: Partial<QueueFigures> = {}) {
  return (i: number, at: number): AlertableConnection[] => [connection(at, { queues: [queue('default', { ...overrides, [figure]: values[i], takenAt: at })] })];
}
