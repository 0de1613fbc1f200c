import type { Alert, AlertRule, AlertState, AlertTransition } from '../../contract/alerts.js';
import { alertKey } from './alertKey.js';
import { summaryOf } from './alertSummary.js';
import type { AlertInstance } from './ruleInstances.js';

export interface RuleContext {
  now: number;
  /** Connections in the snapshot: an alert of a connection no longer there resolves. */
  connections: ReadonlySet<string>;
  /**
   * Connections where an instance that is absent cannot be told from one that is gone (down,
   * or degraded: part of it could not be read). Their absent alerts are kept as they were: on
   * a down connection until it is back, on a degraded one for {@link absentGraceMs} at most
   * (a connection that stays degraded must not hold an alert of a worker long gone forever).
   */
  unsure: ReadonlySet<string>;
  /** Connections that are down (unreachable, unauthorized): a subset of `unsure`. */
  down?: ReadonlySet<string>;
}

/** How long an absent instance on a degraded connection is "unknown" before it counts as gone. */
export const absentGraceMs = 10 * 60_000;

export interface RuleEvaluation {
  alerts: Alert[];
  transitions: AlertTransition[];
}

/**
 * One rule over its instances at `now` (Prometheus `AlertingRule.Eval`): inactive → pending
 * (the condition holds) → firing (it held for `forMs`) → resolved (the clear condition held for
 * `keepFiringForMs`). A pending alert whose condition stops holding goes back to inactive without
 * having fired. An unknown figure (`null`) never moves an alert forward or to resolved: a
 * pending alert drops back to inactive (the condition is not known to hold), a firing one keeps
 * firing (it is not known to have recovered). See README.md.
 */
export function evaluateRule(rule: AlertRule, instances: readonly AlertInstance[], previous: readonly Alert[], ctx: RuleContext): RuleEvaluation {
  const before = new Map(previous.map((a) => [a.key, a]));
  const out: RuleEvaluation = { alerts: [], transitions: [] };
  const seen = new Set<string>();
  for (const inst of instances) {
    const key = alertKey(rule.id, inst.labels);
    seen.add(key);
    step(rule, key, inst, before.get(key), ctx.now, out);
  }
  for (const prev of previous) {
    if (seen.has(prev.key)) continue;
    const connection = prev.labels.connection ?? '';
    if (!ctx.connections.has(connection)) {
      resolveGone(prev, ctx.now, 'connectionRemoved', out);
    } else {
      const seenAt = prev.seenAt ?? prev.evaluatedAt;
      const unknown = ctx.unsure.has(connection) && (ctx.down?.has(connection) === true || ctx.now - seenAt < absentGraceMs);
      const gone: AlertInstance = { labels: prev.labels, connection, value: null, threshold: prev.threshold, isMet: false, isCleared: !unknown, isAbsent: true };
      step(rule, prev.key, gone, prev, ctx.now, out);
    }
  }
  return out;
}

/** An alert whose rule or connection went away: firing resolves, pending drops, resolved stays. */
export function resolveGone(prev: Alert, now: number, cause: AlertTransition['cause'], out: RuleEvaluation): void {
  if (prev.state === 'resolved') {
    out.alerts.push(prev);
  } else if (prev.state === 'firing') {
    const next: Alert = { ...prev, state: 'resolved', resolvedAt: now, keepFiringSince: null, evaluatedAt: now };
    out.alerts.push(next);
    out.transitions.push(transitionOf(prev.state, next, now, cause));
  } else {
    out.transitions.push(transitionOf(prev.state, { ...prev, state: 'inactive', evaluatedAt: now }, now, cause));
  }
}

function step(rule: AlertRule, key: string, inst: AlertInstance, prev: Alert | undefined, now: number, out: RuleEvaluation): void {
  const summary = summaryOf(rule, inst.labels, inst.value, inst.threshold, inst.forecastMs);
  const seenAt = inst.isAbsent ? prev?.seenAt ?? prev?.evaluatedAt ?? now : now;
  const observed = { value: inst.value, threshold: inst.threshold, summary, evaluatedAt: now, seenAt, level: rule.level,
    ...(inst.forecastMs !== undefined ? { forecastMs: inst.forecastMs } : {}) };
  const move = (from: AlertState, next: Alert) => {
    if (next.state !== 'inactive') out.alerts.push(next);
    if (from !== next.state) out.transitions.push(transitionOf(from, next, now));
  };
  const state = prev?.state ?? 'inactive';
  const isUnknown = inst.value === null && !inst.isCleared;
  if (state === 'inactive' || state === 'resolved') {
    if (!inst.isMet) {
      if (prev) out.alerts.push(prev);
      return;
    }
    // A new incident: nothing of the last one (notified, acknowledged) carries over.
    const fires = rule.forMs === 0;
    move('inactive', {
      key, ruleId: rule.id, labels: inst.labels, ...observed, state: fires ? 'firing' : 'pending',
      activeAt: now, firedAt: fires ? now : null, resolvedAt: null, lastNotifiedAt: null, acknowledgedAt: null, keepFiringSince: null,
    });
    return;
  }
  const current = prev!;
  if (state === 'pending') {
    if (inst.isMet && now - current.activeAt! >= rule.forMs) move('pending', { ...current, ...observed, state: 'firing', firedAt: now });
    else if (inst.isMet) move('pending', { ...current, ...observed });
    else move('pending', { ...current, ...observed, state: 'inactive' });
    return;
  }
  // firing
  if (isUnknown || !inst.isCleared) {
    move('firing', { ...current, ...observed, keepFiringSince: isUnknown ? current.keepFiringSince : null });
    return;
  }
  const since = current.keepFiringSince ?? now;
  if (now - since >= rule.keepFiringForMs) move('firing', { ...current, ...observed, state: 'resolved', resolvedAt: now, keepFiringSince: null });
  else move('firing', { ...current, ...observed, keepFiringSince: since });
}

export function transitionOf(from: AlertState, alert: Alert, at: number, cause?: AlertTransition['cause']): AlertTransition {
  return {
    at, key: alert.key, ruleId: alert.ruleId, level: alert.level, from, to: alert.state, labels: alert.labels,
    value: alert.value, summary: alert.summary, ...(cause ? { cause } : {}),
  };
}
