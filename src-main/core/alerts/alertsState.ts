import type { Alert, Snooze } from '../../contract/alerts.js';
import type { TrendPoint } from './forecast.js';

/**
 * Everything the engine carries from one evaluation to the next, owned by the monitor's alert
 * pipeline (one owner) and persisted by it, so a restart or a config reload carries it across.
 * Inactive alerts are not kept: an alert is here while pending, firing, or resolved within the
 * retention.
 */
export interface AlertsState {
  alerts: Alert[];
  snoozes: Snooze[];
  /** Recent figure readings of predictive rules' instances, by `trendKey`. Not persisted. */
  trends: Record<string, TrendPoint[]>;
  /** `null` before the first evaluation. */
  evaluatedAt: number | null;
}

export function emptyAlertsState(): AlertsState {
  return { alerts: [], snoozes: [], trends: {}, evaluatedAt: null };
}

/** How long a resolved alert is kept to be notified and shown (Prometheus keeps 15 min). */
export const resolvedRetentionMs = 15 * 60_000;
