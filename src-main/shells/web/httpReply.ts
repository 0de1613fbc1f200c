import type { ServerResponse } from 'node:http';
import type { ApiResult } from '../../contract/api.js';
import type { ApiError, ErrorCode } from '../../contract/errors.js';

/**
 * The HTTP status that goes with each error code. A broker that cannot be read is the upstream's
 * fault (502/504), not the client's; a record so that a new code is a compile error here.
 */
const statusOfCode: Record<ErrorCode, number> = {
  TARGET_UNREACHABLE: 502,
  AUTH_FAILED: 502,
  TLS_REQUIRED: 502,
  PERMISSION_DENIED: 502,
  TIMEOUT: 504,
  UNDECODABLE: 502,
  BAD_URL: 500,
  BAD_CONFIG: 500,
  SECRET_IN_KEYCHAIN: 500,
  BAD_USAGE: 400,
  QUEUE_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  INTERNAL: 500,
};

export function statusOf(result: ApiResult<unknown>): number {
  return result.ok ? 200 : statusOfCode[result.error.code];
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendResult(res: ServerResponse, result: ApiResult<unknown>): void {
  sendJson(res, statusOf(result), result);
}

/** An error answer in the contract's shape, for failures outside any Api method (404, 405, 415). */
export function sendError(res: ServerResponse, status: number, error: ApiError, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  sendJson(res, status, { ok: false, error } satisfies ApiResult<never>);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
