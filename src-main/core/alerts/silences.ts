import type { Alert, AlertMatcher, MaintenanceWindow, Snooze } from '../../contract/alerts.js';
import { matchesGlob } from './glob.js';

/** Whether a snooze's or maintenance window's matcher covers an alert (omitted members match all). */
export function matchesAlert(match: AlertMatcher, alert: Pick<Alert, 'key' | 'ruleId' | 'level' | 'labels'>): boolean {
  if (match.key !== undefined && match.key !== alert.key) return false;
  if (match.ruleId !== undefined && match.ruleId !== alert.ruleId) return false;
  if (match.level !== undefined && match.level !== alert.level) return false;
  if (match.connection !== undefined && !matchesGlob(match.connection, alert.labels.connection ?? '')) return false;
  if (match.framework !== undefined && match.framework !== alert.labels.framework) return false;
  if (match.queue !== undefined && (alert.labels.queue === undefined || !matchesGlob(match.queue, alert.labels.queue))) return false;
  return true;
}

/** The snooze covering the alert at `now` (the one ending last), if any. */
export function activeSnooze(alert: Alert, snoozes: readonly Snooze[], now: number): Snooze | null {
  let found: Snooze | null = null;
  for (const s of snoozes) if (s.createdAt <= now && now < s.until && matchesAlert(s.match, alert) && (!found || s.until > found.until)) found = s;
  return found;
}

/** The maintenance window covering the alert at `now`, if any. */
export function activeMaintenance(alert: Alert, windows: readonly MaintenanceWindow[], now: number): MaintenanceWindow | null {
  return windows.find((w) => w.startsAt <= now && now < w.endsAt && matchesAlert(w.match, alert)) ?? null;
}
