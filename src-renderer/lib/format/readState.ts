import type { ConnectionStatus } from '../../../src-main/contract/figures.js';
import { formatLocalTime } from './times.js';

/**
 * Whether the last poll of a connection read the broker at all. Keyed by the contract's status,
 * so a new status is a compile error here until it is decided.
 */
const unread: Record<ConnectionStatus, boolean> = {
  ok: false,
  /** Read, with some figures missing: what it shows is current. */
  degraded: false,
  unreachable: true,
  unauthorized: true,
};

/** The last poll could not read this connection: whatever it shows is from an earlier poll. */
export function couldNotRead(status: ConnectionStatus): boolean {
  return unread[status];
}

/** `Workers, last known at 2026-01-15 12:55:00 CET`: a table caption for what an earlier poll read. */
export function lastKnownCaption(caption: string, takenAt: number | null): string {
  return takenAt === null ? `${caption}, last known` : `${caption}, last known at ${formatLocalTime(takenAt)}`;
}
