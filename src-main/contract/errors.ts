/**
 * Errors cross every boundary as codes (bull-board's rule): only the CLI and the renderer turn
 * them into words. `detail` carries the specific cause (host, command, file) for that message.
 */
export type ErrorCode =
  /** TCP connect refused, host not found, connection reset. */
  | 'TARGET_UNREACHABLE'
  /** The broker refused the credentials (WRONGPASS, NOAUTH, AMQP 403). */
  | 'AUTH_FAILED'
  /** The server wants TLS and the URL is plain, or the reverse. */
  | 'TLS_REQUIRED'
  /** The user lacks a permission; `detail` names the command. */
  | 'PERMISSION_DENIED'
  /** No answer within the time limit. */
  | 'TIMEOUT'
  /** A connection URL that cannot be parsed or uses an unknown scheme. */
  | 'BAD_URL'
  /** A config file that cannot be read or does not match the schema. */
  | 'BAD_CONFIG'
  /** Command-line usage error. */
  | 'BAD_USAGE'
  /** A saved connection whose password lives only in the tray app's keychain. */
  | 'SECRET_IN_KEYCHAIN'
  /** No queue with that name on any connection. */
  | 'QUEUE_NOT_FOUND'
  /** No task with that id on any connection. */
  | 'TASK_NOT_FOUND'
  /** An item read from the broker could not be decoded. */
  | 'UNDECODABLE'
  /** Anything else; `detail` says what. */
  | 'INTERNAL';

/** The serialisable form of an error, as it crosses IPC, HTTP and the CLI. */
export interface ApiError {
  code: ErrorCode;
  /** The specific cause, in plain words, never containing a secret. */
  detail: string;
  /** The connection concerned, when there is one. */
  connection?: string;
}

/** Type guard for an {@link ApiError} arriving over a transport. */
export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).code === 'string'
    && typeof (value as ApiError).detail === 'string';
}

/**
 * Anything thrown, as an {@link ApiError}: an ApiError as it is, anything else as `INTERNAL` with
 * its message; stamped with `connection` when one is given.
 */
export function toApiError(error: unknown, connection?: string): ApiError {
  const base: ApiError = isApiError(error) ? error : { code: 'INTERNAL', detail: String((error as Error)?.message ?? error) };
  return connection === undefined ? base : { ...base, connection };
}
