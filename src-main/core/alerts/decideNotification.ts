import type { Alert, AlertTransition, MaintenanceWindow, NotifyDecision, NotifyReason, Snooze, SuppressReason } from '../../contract/alerts.js';
import { activeMaintenance, activeSnooze } from './silences.js';

export interface Silencing {
  snoozes: readonly Snooze[];
  maintenance: readonly MaintenanceWindow[];
}

/**
 * Whether one alert should be notified at `now`, and why (Alertmanager's `DedupStage`): `null`
 * when nothing is due. Due are: the first notification of a firing incident (as it fires, or
 * once the snooze or maintenance window that held it back ends); its recovery, only if the
 * firing was notified (nobody hears "recovered" about something they never heard of); a
 * reminder once `renotifyMs` elapsed since the last one, when set.
 *
 * What holds a due notification back: a maintenance window (everything, recoveries too);
 * a snooze (firing and reminders; a recovery still comes); an acknowledgement (reminders, and
 * the first notification if it was acknowledged before it could be sent).
 */
export function decideNotification(alert: Alert, transition: AlertTransition | null, renotifyMs: number | null, silencing: Silencing, now: number): NotifyDecision | null {
  const reason = dueReason(alert, transition, renotifyMs, now);
  if (reason === null) return null;
  const suppressedBy = suppression(alert, reason, silencing, now);
  return { at: now, reason, notify: suppressedBy === null, suppressedBy, alert };
}

function dueReason(alert: Alert, transition: AlertTransition | null, renotifyMs: number | null, now: number): NotifyReason | null {
  if (alert.state === 'resolved') return transition?.to === 'resolved' && alert.lastNotifiedAt !== null ? 'resolved' : null;
  if (alert.state !== 'firing') return null;
  if (alert.lastNotifiedAt === null) return 'first';
  if (renotifyMs !== null && now - alert.lastNotifiedAt >= renotifyMs) return 'repeat';
  return null;
}

function suppression(alert: Alert, reason: NotifyReason, silencing: Silencing, now: number): SuppressReason | null {
  if (activeMaintenance(alert, silencing.maintenance, now)) return 'maintenance';
  if (reason === 'resolved') return null;
  if (activeSnooze(alert, silencing.snoozes, now)) return 'snoozed';
  if (alert.acknowledgedAt !== null) return 'acknowledged';
  return null;
}
