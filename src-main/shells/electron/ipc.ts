import type { IpcMain } from 'electron';
import type { Api, ApiArgs, ApiEventName, ApiEvents, ApiMethodName, ApiMethods, ApiResult, ApiReturn, Unsubscribe } from '../../contract/api.js';
import { apiEventNames, apiMethodNames, ipcChannel } from '../../contract/endpoints.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import { isAppUrl } from './appIdentity.js';
import { argSchemas, describeIssues } from '../../bootstrap/apiArgSchemas.js';

/** One `ipcMain.handle` per Api method, on the channel the contract names (security checklist 3). */
export function registerIpc(ipcMain: IpcMain, api: ApiMethods): void {
  for (const name of apiMethodNames) {
    ipcMain.handle(ipcChannel(name), (event, args: unknown) => handleCall(api, name, event.senderFrame?.url ?? null, args));
  }
}

/**
 * One call: refused unless it comes from our `app://` renderer, refused unless its argument
 * object matches the method's schema, and answered with plain data or a coded error.
 */
export async function handleCall<M extends ApiMethodName>(api: ApiMethods, name: M, senderUrl: string | null, args: unknown): Promise<ApiResult<ApiReturn<M>>> {
  if (senderUrl === null || !isAppUrl(senderUrl)) {
    return failure({ code: 'PERMISSION_DENIED', detail: `${name}: only the task-status window may call the Api` });
  }
  const parsed = argSchemas[name].safeParse(args);
  if (!parsed.success) return failure({ code: 'BAD_USAGE', detail: `${name}: ${describeIssues(parsed.error)}` });
  // The one cast: TypeScript cannot relate ApiMethods[M] to its own ApiArgs<M>/ApiReturn<M> for a generic M.
  const method = api[name] as unknown as (args: ApiArgs<M>) => Promise<ApiReturn<M>>;
  try {
    return { ok: true, value: await method.call(api, parsed.data) };
  } catch (error) {
    return failure(isApiError(error) ? plainError(error) : { code: 'INTERNAL', detail: `${name}: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** Pushes every Api event to the windows on the event's own channel. */
export function forwardApiEvents(api: Api, send: (channel: string, payload: unknown) => void): Unsubscribe {
  const stops = apiEventNames.map((name) => subscribe(api, name, (payload) => send(ipcChannel(name), payload)));
  return () => stops.forEach((stop) => stop());
}

function subscribe<E extends ApiEventName>(api: Api, name: E, listener: (payload: ApiEvents[E]) => void): Unsubscribe {
  // A cast: with more than one event TypeScript reads Api[E] for a generic E as the intersection of every event's listener.
  return (api[name] as unknown as (l: (payload: ApiEvents[E]) => void) => Unsubscribe)(listener);
}

function failure(error: ApiError): { ok: false; error: ApiError } {
  return { ok: false, error };
}

/** Only the contract's fields cross: an error object may carry a stack or a cause. */
function plainError(error: ApiError): ApiError {
  return error.connection === undefined ? { code: error.code, detail: error.detail } : { code: error.code, detail: error.detail, connection: error.connection };
}
