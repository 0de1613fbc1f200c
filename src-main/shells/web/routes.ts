import type { ApiArgs, ApiMethodName, ApiMethods, ApiResult, ApiReturn } from '../../contract/api.js';
import { apiMethodNames, httpRoute } from '../../contract/endpoints.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import { argSchemas, describeIssues } from '../../bootstrap/apiArgSchemas.js';

/** Runs one Api method on an untrusted argument object and answers in the contract's shape. */
export type MethodRoute = (body: unknown) => Promise<ApiResult<unknown>>;

/**
 * `POST /api/<method>` for every method of the contract, derived from `endpoints.ts`: the table
 * has exactly the contract's methods, each behind its argument schema.
 */
export function createMethodRoutes(api: ApiMethods, log: (line: string) => void): Map<string, MethodRoute> {
  return new Map(apiMethodNames.map((method) => [httpRoute(method), methodRoute(api, method, log)]));
}

function methodRoute<M extends ApiMethodName>(api: ApiMethods, method: M, log: (line: string) => void): MethodRoute {
  // TypeScript cannot relate `api[method]` to `ApiArgs<M>` for a generic M; the mapped types
  // above guarantee they match, so this is the one cast of the route table.
  const call = api[method] as unknown as (args: ApiArgs<M>) => Promise<ApiReturn<M>>;
  return async (body) => {
    const parsed = argSchemas[method].safeParse(body);
    if (!parsed.success) {
      return { ok: false, error: { code: 'BAD_USAGE', detail: `${method}: ${describeIssues(parsed.error)}` } };
    }
    try {
      return { ok: true, value: await call.call(api, parsed.data) };
    } catch (error) {
      return { ok: false, error: toWireError(error, method, log) };
    }
  };
}

/**
 * Coded errors pass through with their own fields only; anything else is a bug whose message may
 * hold what it should not (a URL with a password), so it is logged here and answered generically.
 */
function toWireError(error: unknown, method: string, log: (line: string) => void): ApiError {
  if (isApiError(error)) {
    const wire: ApiError = { code: error.code, detail: error.detail };
    if (typeof error.connection === 'string') wire.connection = error.connection;
    return wire;
  }
  log(`task-status serve: ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'INTERNAL', detail: `${method} failed unexpectedly (see the server's log)` };
}
