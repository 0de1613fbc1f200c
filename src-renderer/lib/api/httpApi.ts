import type { Api, ApiMethodName, ApiResult } from '../../../src-main/contract/api.js';
import { apiEventNames, apiMethodNames, httpRoute } from '../../../src-main/contract/endpoints.js';
import { isApiError } from '../../../src-main/contract/errors.js';
import { ApiCallError } from './apiCallError.js';
import type { EventSourceHub } from './eventSourceHub.js';

/**
 * The contract's Api over the web face: each method is `POST /api/<method>` with its argument
 * object, each event a subscription to the shared event stream. Built by iterating the names in
 * endpoints.ts, so it has exactly the contract's members.
 */
export function createHttpApi(hub: EventSourceHub): Api {
  const members: Record<string, unknown> = {};
  for (const method of apiMethodNames) members[method] = (args: unknown) => callMethod(method, args);
  for (const event of apiEventNames) members[event] = (listener: (event: unknown) => void) => hub.subscribe(event, listener);
  // TypeScript cannot follow an object filled by iteration; endpoints.ts guarantees the names are
  // complete and each member above has the contract's shape (arguments in, JSON value out).
  return members as unknown as Api;
}

async function callMethod(method: ApiMethodName, args: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(httpRoute(method), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiCallError({ code: 'INTERNAL', detail: 'the task-status server did not answer (is `task-status serve` still running?)' });
  }
  const text = await response.text();
  const result = parseResult(text);
  if (result === null) {
    const detail = response.status === 401
      ? 'this web face needs its token: open the address printed by `task-status serve` with ?token=…'
      : `the task-status server answered ${response.status}: ${text.slice(0, 200)}`;
    throw new ApiCallError({ code: response.status === 401 ? 'AUTH_FAILED' : 'INTERNAL', detail });
  }
  if (!result.ok) throw new ApiCallError(result.error);
  return result.value;
}

function parseResult(text: string): ApiResult<unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || !('ok' in value)) return null;
    if (value.ok === true && 'value' in value) return { ok: true, value: value.value };
    if (value.ok === false && 'error' in value && isApiError(value.error)) return { ok: false, error: value.error };
    return null;
  } catch {
    return null;
  }
}
