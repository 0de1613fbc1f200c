import type { ApiError, ErrorCode } from '../../../src-main/contract/errors.js';

/** The renderer's words for each error code (codes cross boundaries; words are made here). */
const headlines: Record<ErrorCode, string> = {
  TARGET_UNREACHABLE: 'Cannot reach the broker',
  AUTH_FAILED: 'Credentials refused',
  TLS_REQUIRED: 'TLS mismatch',
  PERMISSION_DENIED: 'Permission denied',
  TIMEOUT: 'No answer in time',
  BAD_URL: 'Bad connection URL',
  BAD_CONFIG: 'Bad configuration',
  BAD_USAGE: 'Bad request',
  SECRET_IN_KEYCHAIN: 'Password only in the tray app’s keychain',
  QUEUE_NOT_FOUND: 'Queue not found',
  TASK_NOT_FOUND: 'Task not found',
  UNDECODABLE: 'Undecodable data',
  INTERNAL: 'Unexpected error',
};

export function errorHeadline(error: ApiError): string {
  return headlines[error.code] ?? error.code;
}

/** One line: headline, then the specific cause. */
export function errorText(error: ApiError): string {
  return `${errorHeadline(error)}: ${error.detail}`;
}
