import type { Alert, AlertRule, AlertTransition, MaintenanceWindow, NotifyDecision } from '../../contract/alerts.js';
import type { AlertableConnection } from './alertFigures.js';
import { resolvedRetentionMs, type AlertsState } from './alertsState.js';
import { decideNotification } from './decideNotification.js';
import { evaluateRule, resolveGone, type RuleEvaluation } from './evaluateRule.js';
import type { TrendPoint } from './forecast.js';
import { levelRank } from './levels.js';
import { instancesOf, isConnectionDown, trendKey } from './ruleInstances.js';
import { queueFigure } from './alertFigures.js';
import type { QueueAlertFigure } from '../../contract/alerts.js';

/** What the rules are evaluated over: every connection's latest view (a DashboardView fits). */
export interface AlertSnapshot {
  connections: readonly AlertableConnection[];
}

export interface EvaluateOptions {
  maintenance?: readonly MaintenanceWindow[];
  resolvedRetentionMs?: number;
}

export interface Evaluation {
  state: AlertsState;
  /** Every state change, in rule order: what the alert log appends. */
  transitions: AlertTransition[];
  /** Notifications due now (`notify`), and those held back as an alert changed state. */
  notifications: NotifyDecision[];
  /** Instances whose figure could be read: `0` means nothing could be evaluated. */
  evaluatedCount: number;
}

/**
 * Every enabled rule over every connection at `now`: the next state, its transitions and the
 * notification decisions. Pure: no clock, no I/O; the same inputs give the same outputs.
 */
export function evaluateRules(snapshot: AlertSnapshot, previous: AlertsState, rules: readonly AlertRule[], now: number, options: EvaluateOptions = {}): Evaluation {
  const enabled = rules.filter((r) => r.enabled);
  const trends = updateTrends(previous.trends, enabled, snapshot.connections, now);
  const trendMap = new Map(Object.entries(trends));
  const connections = new Set(snapshot.connections.map((c) => c.id));
  const unsure = new Set(snapshot.connections.filter((c) => c.status !== 'ok').map((c) => c.id));
  const down = new Set(snapshot.connections.filter(isConnectionDown).map((c) => c.id));
  const byRule = new Map<string, Alert[]>();
  for (const alert of previous.alerts) byRule.set(alert.ruleId, [...(byRule.get(alert.ruleId) ?? []), alert]);
  const result: RuleEvaluation = { alerts: [], transitions: [] };
  let evaluatedCount = 0;
  for (const rule of enabled) {
    const instances = instancesOf(rule, snapshot.connections, now, trendMap);
    evaluatedCount += instances.filter((i) => i.value !== null).length;
    const r = evaluateRule(rule, instances, byRule.get(rule.id) ?? [], { now, connections, unsure, down });
    result.alerts.push(...r.alerts);
    result.transitions.push(...r.transitions);
    byRule.delete(rule.id);
  }
  // Alerts of rules removed or disabled (a config reload): they resolve, as Prometheus does.
  for (const orphans of byRule.values()) for (const alert of orphans) resolveGone(alert, now, 'ruleRemoved', result);

  const retention = options.resolvedRetentionMs ?? resolvedRetentionMs;
  const renotify = new Map(rules.map((r) => [r.id, r.renotifyMs]));
  const silencing = { snoozes: previous.snoozes.filter((s) => s.until > now), maintenance: options.maintenance ?? [] };
  const transitionByKey = new Map(result.transitions.map((t) => [t.key, t]));
  const notifications: NotifyDecision[] = [];
  const alerts: Alert[] = [];
  for (const alert of result.alerts) {
    if (alert.state === 'resolved' && alert.resolvedAt !== null && now - alert.resolvedAt >= retention) continue;
    const transition = transitionByKey.get(alert.key) ?? null;
    const decision = decideNotification(alert, transition, renotify.get(alert.ruleId) ?? null, silencing, now);
    const kept = decision?.notify ? { ...alert, lastNotifiedAt: now } : alert;
    // A notification held back is reported once, with the change that made it due, not at every poll.
    if (decision && (decision.notify || transition)) notifications.push({ ...decision, alert: kept });
    alerts.push(kept);
  }
  alerts.sort(byConcern);
  return { state: { alerts, snoozes: silencing.snoozes, trends, evaluatedAt: now }, transitions: result.transitions, notifications, evaluatedCount };
}

const stateOrder = { firing: 0, pending: 1, resolved: 2, inactive: 3 } as const;

/** Worst level first, then firing, pending, resolved, then by key: the order every face lists them in. */
export function byConcern(a: Alert, b: Alert): number {
  return levelRank(b.level) - levelRank(a.level) || stateOrder[a.state] - stateOrder[b.state] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Appends this poll's reading of every predictive rule's figure (once per poll: a reading is
 * stamped with the queue's own `takenAt`) and drops readings older than the longest span.
 */
function updateTrends(previous: Record<string, TrendPoint[]>, rules: readonly AlertRule[], connections: readonly AlertableConnection[], now: number): Record<string, TrendPoint[]> {
  const predictive = rules.filter((r) => r.predict);
  if (predictive.length === 0) return {};
  const keepMs = Math.max(...predictive.map((r) => r.predict!.spanMs));
  const next: Record<string, TrendPoint[]> = {};
  for (const [key, points] of Object.entries(previous)) {
    const recent = points.filter((p) => p.at >= now - keepMs);
    if (recent.length) next[key] = recent;
  }
  for (const rule of predictive) {
    for (const c of connections) {
      if (isConnectionDown(c)) continue;
      for (const q of c.queues) {
        const value = queueFigure(q, rule.condition.figure as QueueAlertFigure, rule);
        if (value === null) continue;
        const key = trendKey(rule.condition.figure, { connection: c.id, framework: q.framework, namespace: q.namespace, queue: q.queue });
        const series = next[key] ?? [];
        if (series.length && series.at(-1)!.at >= q.takenAt) continue;
        next[key] = [...series, { at: q.takenAt, value }];
      }
    }
  }
  return next;
}
