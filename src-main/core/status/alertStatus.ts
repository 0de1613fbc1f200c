import type { Alert, Level } from '../../contract/alerts.js';
import type { ConnectionView } from '../../contract/dashboard.js';
import { levelRank, worstLevel } from '../alerts/levels.js';
import { overallStatusOf, type OverallStatus, type StatusVerdict } from './overallStatus.js';

/** The overall status with the alerts: what the tray icon, `check` and the Api's status say. */
export interface AlertStatusVerdict extends StatusVerdict {
  /** The worst level among firing alerts; `null` when none fires. */
  worstFiring: Level | null;
  /** How many alerts fire. */
  firingCount: number;
}

/**
 * The overall status at `now` from the connections and the alerts (ARCHITECTURE.md "Status and
 * the tray icon"): the worst firing level; a down broker is at least `emergency` (it is, even
 * with its rule disabled); else `stale` when some connection has not been read for three poll
 * intervals; else `ok`. A firing alert outranks staleness, as a down broker does: it is a known
 * fact, where staleness only says the other figures cannot be trusted. Pure.
 */
export function overallStatusWithAlerts(connections: ConnectionView[], alerts: readonly Pick<Alert, 'state' | 'level'>[], now: number, pollIntervalMs: number): AlertStatusVerdict {
  const verdict = overallStatusOf(connections, now, pollIntervalMs);
  const firing = alerts.filter((a) => a.state === 'firing');
  const worstFiring = worstLevel(firing.map((a) => a.level));
  let status: OverallStatus = verdict.status;
  if (worstFiring !== null && (verdict.status === 'ok' || verdict.status === 'stale' || levelRank(worstFiring) > levelRank(verdict.status))) status = worstFiring;
  return { ...verdict, status, worstFiring, firingCount: firing.length };
}

/**
 * `task-status check`'s exit code, as monitoring plugins use them: 0 ok, 1 warning, 2 error,
 * critical or emergency (an unreachable broker included), 3 unknown (stale data, or nothing could
 * be evaluated while nothing fires).
 */
export function checkExitCode(status: OverallStatus, evaluatedCount: number): 0 | 1 | 2 | 3 {
  if (status === 'ok') return evaluatedCount > 0 ? 0 : 3;
  if (status === 'stale') return 3;
  return status === 'warning' ? 1 : 2;
}
