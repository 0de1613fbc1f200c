import type { ApiError, ErrorCode } from '../../contract/errors.js';
import { printable } from './format.js';

/** Exit codes of the views (ARCHITECTURE.md "CLI conventions"). */
export const exitCodes = { printed: 0, notFound: 1, usage: 2, connection: 3 } as const;

const words: Record<ErrorCode, string> = {
  TARGET_UNREACHABLE: 'unreachable',
  AUTH_FAILED: 'authentication failed',
  TLS_REQUIRED: 'TLS problem',
  PERMISSION_DENIED: 'permission missing',
  TIMEOUT: 'timed out',
  BAD_URL: 'bad URL',
  BAD_CONFIG: 'bad configuration',
  BAD_USAGE: 'bad usage',
  SECRET_IN_KEYCHAIN: 'password not available',
  QUEUE_NOT_FOUND: 'queue not found',
  TASK_NOT_FOUND: 'task not found',
  UNDECODABLE: 'undecodable data',
  INTERNAL: 'error',
};

/** One line that says which and why: `prod: unreachable: 10.0.0.5:6379 refused the connection`. */
export function describeError(error: ApiError): string {
  return printable(`${error.connection ? `${error.connection}: ` : ''}${words[error.code]}: ${error.detail}`);
}

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'QUEUE_NOT_FOUND':
    case 'TASK_NOT_FOUND':
      return exitCodes.notFound;
    case 'BAD_URL':
    case 'BAD_CONFIG':
    case 'BAD_USAGE':
    case 'SECRET_IN_KEYCHAIN':
      return exitCodes.usage;
    default:
      return exitCodes.connection;
  }
}
