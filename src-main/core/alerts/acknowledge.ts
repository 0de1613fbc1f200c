import type { Alert, Snooze, SnoozeQuery } from '../../contract/alerts.js';
import type { AlertsState } from './alertsState.js';

/**
 * Acknowledges an open (pending or firing) alert: no reminders for this incident, and its first
 * notification is not sent if it had not been yet. `null` when no open alert has that key.
 */
export function acknowledgeAlert(state: AlertsState, key: string, now: number): { state: AlertsState; alert: Alert } | null {
  const found = state.alerts.find((a) => a.key === key && (a.state === 'pending' || a.state === 'firing'));
  if (!found) return null;
  const alert: Alert = { ...found, acknowledgedAt: found.acknowledgedAt ?? now };
  return { state: { ...state, alerts: state.alerts.map((a) => (a === found ? alert : a)) }, alert };
}

/**
 * Snoozes one alert (by key) or every alert of a rule (present and future) until `until`, or for
 * `forMs` from `now`. A later snooze of the same target replaces the earlier one; a snooze that
 * ends at once (`until <= now`) lifts it.
 */
export function snoozeAlerts(state: AlertsState, query: SnoozeQuery, now: number): { state: AlertsState; snooze: Snooze } {
  const match = query.key !== undefined ? { key: query.key } : { ruleId: query.ruleId! };
  const id = query.key !== undefined ? `key:${query.key}` : `rule:${query.ruleId}`;
  const snooze: Snooze = { id, match, createdAt: now, until: query.until ?? now + (query.forMs ?? 0) };
  const kept = state.snoozes.filter((s) => s.id !== id && s.until > now);
  return { state: { ...state, snoozes: snooze.until > now ? [...kept, snooze] : kept }, snooze };
}
