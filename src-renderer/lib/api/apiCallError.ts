import { isApiError, type ApiError } from '../../../src-main/contract/errors.js';

/** A coded Api error thrown by the HTTP transport, so callers catch one shape from both transports. */
export class ApiCallError extends Error {
  readonly error: ApiError;

  constructor(error: ApiError) {
    super(`${error.code}: ${error.detail}`);
    this.name = 'ApiCallError';
    this.error = error;
  }
}

/** Whatever a call rejected with, as the contract's coded error. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiCallError) return reason.error;
  if (isApiError(reason)) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: 'INTERNAL', detail: message };
}
