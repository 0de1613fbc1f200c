import type { ConnectionView } from '../../contract/dashboard.js';
import type { ApiError } from '../../contract/errors.js';
import type { ConnectionStatus } from '../../contract/figures.js';

/** A connection's data is stale once its last good poll is older than this many poll intervals. */
export const staleAfterIntervals = 3;

/**
 * How one connection stands for the tray at `now`: its polled status, or `stale` when the
 * monitor has not read it for too long (a poll that hangs, a laptop that slept).
 */
export interface ConnectionHealth {
  id: string;
  status: ConnectionStatus | 'stale';
  /** Why the status is not `ok`, as the monitor reported it; `null` when there is no coded cause. */
  error: ApiError | null;
  /** Epoch ms of the last good poll; `null` when there has been none yet. */
  lastGoodPollAt: number | null;
  /** Age of the last good poll at `now`, in ms; `null` when there has been none. */
  lastGoodPollAgeMs: number | null;
}

/** Whether the status is one that fires the emergency rule "broker unreachable". */
export function isBrokerDown(status: ConnectionHealth['status']): boolean {
  return status === 'unreachable' || status === 'unauthorized';
}

/**
 * The health of one connection. An unreachable or unauthorized connection keeps that status
 * even when its data is old: "the broker refuses us" says more than "the data is old".
 * A connection never read yet is stale, since nothing about it can be told.
 */
export function connectionHealthOf(connection: ConnectionView, now: number, pollIntervalMs: number): ConnectionHealth {
  const lastGoodPollAt = connection.lastGoodPollAt;
  const ageMs = lastGoodPollAt === null ? null : Math.max(0, now - lastGoodPollAt);
  const base = { id: connection.id, error: connection.statusReason, lastGoodPollAt, lastGoodPollAgeMs: ageMs };
  if (isBrokerDown(connection.status)) return { ...base, status: connection.status };
  const isStale = ageMs === null || ageMs > staleAfterIntervals * pollIntervalMs;
  return { ...base, status: isStale ? 'stale' : connection.status };
}
