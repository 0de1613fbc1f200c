import type { ActionEvent, ActionWhen } from '../../contract/actions.js';
import type { NotifyDecision } from '../../contract/alerts.js';
import { levelRank } from '../../core/alerts/levels.js';

/**
 * What a notification decision means for actions: an incident started (`first`), ended
 * (`resolved`) or is reminded of (`repeat`). A decision held back (snooze, acknowledgement,
 * maintenance) is not an event: actions follow the notifications, so a maintenance window
 * keeps hooks quiet too.
 */
export function actionEventOf(decision: NotifyDecision): ActionEvent | null {
  if (!decision.notify) return null;
  return decision.reason === 'first' ? 'start' : decision.reason === 'resolved' ? 'end' : 'repeat';
}

/**
 * The incident an alert belongs to: its key and when it began to fire. Stable across polls,
 * restarts and config reloads (the engine keeps `firedAt` on the resolved alert), and new for
 * each incident of the same alert.
 */
export function incidentIdOf(decision: NotifyDecision): string {
  const { alert } = decision;
  return `${alert.key}@${alert.firedAt ?? alert.activeAt ?? decision.at}`;
}

/**
 * The id one action's run for one decision is written under in the ledger: the same start or
 * end never runs twice, even after a restart; each reminder is its own run.
 */
export function dispatchIdOf(actionId: string, decision: NotifyDecision, event: ActionEvent): string {
  return `${actionId}/${incidentIdOf(decision)}/${event}${event === 'repeat' ? `/${decision.at}` : ''}`;
}

/** Whether an action configured with `when` runs for this decision's event. */
export function matchesWhen(when: ActionWhen | undefined, decision: NotifyDecision, event: ActionEvent): boolean {
  const w = when ?? {};
  const { alert } = decision;
  if (!(w.on ?? ['start', 'end']).includes(event)) return false;
  if (w.rules && !w.rules.includes(alert.ruleId)) return false;
  if (w.levels && !w.levels.includes(alert.level)) return false;
  if (w.minLevel && levelRank(alert.level) < levelRank(w.minLevel)) return false;
  if (w.connections && !w.connections.includes(alert.labels.connection ?? '')) return false;
  return true;
}
