import type { Alert, Level } from '../../contract/alerts.js';
import { worstLevel } from '../../core/alerts/levels.js';
import type { OverallStatus } from '../../core/status/overallStatus.js';
import { alertRouteOf } from '../../io/actions/alertRoute.js';
import { statusName } from './statusWords.js';

/**
 * The tray's status with alerts: the worst firing alert's level, else what the connections say
 * (`stale` when some connection's data is old, `ok`). A broker that is down is an emergency
 * either way (the connections' verdict and the "broker unreachable" rule agree).
 *
 * Why a firing level wins over stale: it is a known, actionable fact about the data that could
 * be read; staleness only says the rest cannot be trusted, and the tooltip and the menu say so too.
 */
export function trayStatusOf(connectionsStatus: OverallStatus, alerts: readonly Alert[]): OverallStatus {
  const levels: Level[] = alerts.filter((a) => a.state === 'firing').map((a) => a.level);
  if (connectionsStatus !== 'ok' && connectionsStatus !== 'stale') levels.push(connectionsStatus);
  return worstLevel(levels) ?? connectionsStatus;
}

/** One alert line of the tray: the level in words first, never colour alone. */
export interface AlertLine {
  key: string;
  label: string;
  /** Shorter, for the tooltip (Windows keeps 127 characters): level, rule and place, without the figures. */
  shortLabel: string;
  /** Where "Open" takes the window (`#/queue/…`, `#/task/…`, `#/`). */
  route: string;
  isFiring: boolean;
  isAcknowledged: boolean;
}

/** How many alert lines the menu lists before "and N more" (a menu is not a list view). */
export const maxAlertLines = 8;

/** Firing alerts (worst first, as the engine sorts them), then those recovered within the retention. */
export function alertLinesOf(alerts: readonly Alert[]): { lines: AlertLine[]; moreCount: number } {
  const shown = [...alerts.filter((a) => a.state === 'firing'), ...alerts.filter((a) => a.state === 'resolved')];
  const lines = shown.slice(0, maxAlertLines).map((a): AlertLine => ({
    key: a.key,
    label: a.state === 'firing'
      ? `${statusName(a.level).toUpperCase()}${a.acknowledgedAt !== null ? ' (ack)' : ''}: ${a.summary}`
      : `Recovered: ${a.summary}`,
    shortLabel: `${a.state === 'firing' ? statusName(a.level).toUpperCase() : 'Recovered'}: ${placeOf(a.summary)}`,
    route: alertRouteOf(a.labels),
    isFiring: a.state === 'firing',
    isAcknowledged: a.acknowledgedAt !== null,
  }));
  return { lines, moreCount: shown.length - lines.length };
}

/** "2 alerts firing (1 acknowledged)"; `null` when none fire. */
export function firingInWords(alerts: readonly Alert[]): string | null {
  const firing = alerts.filter((a) => a.state === 'firing');
  if (firing.length === 0) return null;
  const acknowledged = firing.filter((a) => a.acknowledgedAt !== null).length;
  return `${firing.length === 1 ? '1 alert' : `${firing.length} alerts`} firing${acknowledged ? ` (${acknowledged} acknowledged)` : ''}`;
}

/** `Backlog over 1000 — prod rq default: waiting 1523 > 1000` → `Backlog over 1000 — prod rq default`. */
function placeOf(summary: string): string {
  const dash = summary.indexOf(' — ');
  const colon = dash < 0 ? -1 : summary.indexOf(': ', dash);
  return colon < 0 ? summary : summary.slice(0, colon);
}
