import type { ApiError, ErrorCode } from '../../contract/errors.js';
import type { ConnectionHealth } from '../../core/status/connectionHealth.js';
import type { OverallStatus, StatusReason } from '../../core/status/overallStatus.js';

/** The tray is a face: it alone turns the status codes into words (bull-board's rule). */
const statusNames: Record<OverallStatus, string> = {
  ok: 'OK',
  warning: 'Warning',
  error: 'Error',
  critical: 'Critical',
  emergency: 'Emergency',
  stale: 'Stale',
};

const errorNames: Record<ErrorCode, string> = {
  TARGET_UNREACHABLE: 'cannot connect',
  AUTH_FAILED: 'password refused',
  TLS_REQUIRED: 'TLS mismatch',
  PERMISSION_DENIED: 'permission denied',
  TIMEOUT: 'no answer in time',
  BAD_URL: 'bad URL',
  BAD_CONFIG: 'bad configuration',
  BAD_USAGE: 'bad request',
  SECRET_IN_KEYCHAIN: 'password in the keychain',
  QUEUE_NOT_FOUND: 'queue not found',
  TASK_NOT_FOUND: 'task not found',
  UNDECODABLE: 'undecodable data',
  INTERNAL: 'internal error',
};

export function statusName(status: OverallStatus): string {
  return statusNames[status];
}

/** "45 s", "3 min", "2 h", "4 d": the age of a last good poll, rounded down. */
export function ageInWords(ms: number): string {
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / 86_400_000)} d`;
}

/** One connection in words: `prod: unreachable (cannot connect: connect ECONNREFUSED …)`. */
export function connectionInWords(health: ConnectionHealth): string {
  if (health.status === 'stale') {
    const when = health.lastGoodPollAgeMs === null ? 'not read yet' : `last read ${ageInWords(health.lastGoodPollAgeMs)} ago`;
    return `${health.id}: stale (${when})`;
  }
  if (health.error === null) return `${health.id}: ${health.status}`;
  return `${health.id}: ${health.status} (${errorInWords(health.error)})`;
}

/** `cannot connect: connect ECONNREFUSED 127.0.0.1:6390`. */
export function errorInWords(error: ApiError): string {
  return `${errorNames[error.code]}: ${error.detail}`;
}

/** The headline under the status: what made it so. */
export function reasonInWords(reason: StatusReason): string {
  switch (reason.kind) {
    case 'noConnections':
      return 'no connections configured';
    case 'allRead': {
      const read = reason.connectionCount === 1 ? '1 connection read' : `${reason.connectionCount} connections read`;
      return reason.degraded.length === 0 ? read : `${read}, ${reason.degraded.length} degraded`;
    }
    case 'brokerDown':
      return `broker unreachable: ${reason.connections.map((c) => c.id).join(', ')}`;
    case 'stale':
      return `no recent poll: ${reason.connections.map((c) => c.id).join(', ')}`;
  }
}
