import type { ConnectionView } from '../../contract/dashboard.js';
import { connectionHealthOf, isBrokerDown, type ConnectionHealth } from './connectionHealth.js';

import type { Level, OverallStatus } from '../../contract/alerts.js';

/** Alert levels, least to most severe (design/ARCHITECTURE.md "Alert levels"). */
export type { Level };

/** What the tray shows: the worst firing alert, `ok`, or `stale` when the data cannot be trusted. */
export type { OverallStatus };

export const overallStatuses = ['ok', 'warning', 'error', 'critical', 'emergency', 'stale'] as const satisfies readonly OverallStatus[];

/** Why the overall status is what it is; the tray turns it into words. */
export type StatusReason =
  /** Every connection was read recently; `degraded` lists those with some figures unreadable. */
  | { kind: 'allRead'; connectionCount: number; degraded: string[] }
  /** Nothing is configured, so nothing can be wrong. */
  | { kind: 'noConnections' }
  /** The emergency rule "broker unreachable": these connections are unreachable or refuse the password. */
  | { kind: 'brokerDown'; connections: ConnectionHealth[] }
  /** These connections have no good poll within three poll intervals (or none yet). */
  | { kind: 'stale'; connections: ConnectionHealth[] };

export interface StatusVerdict {
  status: OverallStatus;
  reason: StatusReason;
  /** Every connection's health at `now`, in the dashboard's order. */
  connections: ConnectionHealth[];
}

/**
 * The overall status at `now`, until alert rules exist (issue 2): `emergency` when a broker is
 * down, else `stale` when some connection's data is too old, else `ok`. A degraded connection
 * fires nothing by itself.
 *
 * Why emergency before stale: a down broker is a known, actionable fact; staleness only says the
 * other figures cannot be trusted, and a down connection is never also counted as stale.
 */
export function overallStatusOf(connections: ConnectionView[], now: number, pollIntervalMs: number): StatusVerdict {
  const health = connections.map((connection) => connectionHealthOf(connection, now, pollIntervalMs));
  const down = health.filter((h) => isBrokerDown(h.status));
  if (down.length > 0) return { status: 'emergency', reason: { kind: 'brokerDown', connections: down }, connections: health };
  const stale = health.filter((h) => h.status === 'stale');
  if (stale.length > 0) return { status: 'stale', reason: { kind: 'stale', connections: stale }, connections: health };
  if (health.length === 0) return { status: 'ok', reason: { kind: 'noConnections' }, connections: health };
  const degraded = health.filter((h) => h.status === 'degraded').map((h) => h.id);
  return { status: 'ok', reason: { kind: 'allRead', connectionCount: health.length, degraded }, connections: health };
}
