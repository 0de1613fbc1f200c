import type { Alert, NotifyDecision } from '../../../src-main/contract/alerts.js';

export const t0 = 1_000_000;

/** An alert as the engine keeps it; firing, notified at `t0`. */
export function alert(ruleId: string, level: Alert['level'], labels: Record<string, string>, overrides: Partial<Alert> = {}): Alert {
  const where = [labels.connection, labels.framework, labels.queue ?? labels.worker, labels.task ? `task ${labels.task}` : undefined].filter(Boolean).join(' ');
  return {
    key: `${ruleId}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`,
    ruleId, level, state: 'firing', labels, value: 1, threshold: 0,
    summary: `${names[ruleId] ?? ruleId} — ${where}: figure 1 > 0`,
    activeAt: t0, firedAt: t0, resolvedAt: null, lastNotifiedAt: t0, acknowledgedAt: null, keepFiringSince: null, evaluatedAt: t0,
    ...overrides,
  };
}

const names: Record<string, string> = {
  backlog: 'Backlog over 1000', failureRatio: 'Failure rate over 5% in 10 min', brokerUnreachable: 'Broker unreachable',
  taskTimeout: 'Task running past its timeout',
};

export const backlog = alert('backlog', 'warning', { connection: 'prod', framework: 'rq', queue: 'default' },
  { summary: 'Backlog over 1000 — prod rq default: waiting 1523 > 1000', value: 1523, threshold: 1000 });
export const failures = alert('failureRatio', 'critical', { connection: 'prod', framework: 'celery', queue: 'emails' });
export const timeout = alert('taskTimeout', 'error', { connection: 'prod', framework: 'celery', queue: 'emails', task: 'f3b1-9' });
export const unreachable = alert('brokerUnreachable', 'emergency', { connection: 'cache' });

export function decision(a: Alert, reason: NotifyDecision['reason'] = 'first', at = t0): NotifyDecision {
  return { at, reason, notify: true, suppressedBy: null, alert: a };
}

export function resolvedOf(a: Alert, at: number): Alert {
  return { ...a, state: 'resolved', resolvedAt: at, lastNotifiedAt: at, evaluatedAt: at };
}
