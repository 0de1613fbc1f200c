import type { ActionEvent } from '../../contract/actions.js';
import type { NotifyDecision } from '../../contract/alerts.js';
import { alertRouteOf } from './alertRoute.js';

export const envPrefix = 'TASK_STATUS_ALERT_';

/**
 * The alert as environment variables for a command hook. Every name is always set, empty when
 * it does not apply or the figure could not be read (`VALUE` empty = cannot tell), so a script
 * under `set -u` works for every kind of alert. Times are ISO 8601 UTC.
 */
export function alertEnvOf(decision: NotifyDecision, event: ActionEvent, dispatchId: string): Record<string, string> {
  const { alert } = decision;
  const l = alert.labels;
  const vars: Record<string, string> = {
    EVENT: event,
    REASON: decision.reason,
    STATE: alert.state,
    LEVEL: alert.level,
    RULE: alert.ruleId,
    KEY: alert.key,
    ID: dispatchId,
    SUMMARY: alert.summary,
    CONNECTION: l.connection ?? '',
    FRAMEWORK: l.framework ?? '',
    NAMESPACE: l.namespace ?? '',
    QUEUE: l.queue ?? '',
    WORKER: l.worker ?? '',
    TASK: l.task ?? '',
    VALUE: alert.value === null ? '' : String(alert.value),
    THRESHOLD: String(alert.threshold),
    AT: iso(decision.at),
    ACTIVE_AT: iso(alert.activeAt),
    FIRED_AT: iso(alert.firedAt),
    RESOLVED_AT: iso(alert.resolvedAt),
    ROUTE: alertRouteOf(l),
    LABELS: JSON.stringify(l),
  };
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [`${envPrefix}${k}`, v]));
}

function iso(at: number | null): string {
  return at === null ? '' : new Date(at).toISOString();
}
