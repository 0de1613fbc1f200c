import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, ApiArgs, ApiEventName, ApiEvents, ApiMethodName, ApiResult, ApiReturn, Unsubscribe } from '../../contract/api.js';
import { apiEventNames, apiMethodNames, ipcChannel } from '../../contract/endpoints.js';
import { isApiError, type ApiError } from '../../contract/errors.js';

/**
 * The preload bridge: `window.taskStatus` implements the contract's `Api`, derived member by
 * member from endpoints.ts, so the renderer calls the same interface as over HTTP. It imports
 * the contract only (it is bundled to CommonJS: sandboxed preloads cannot load ES modules), and
 * exposes narrow functions, never ipcRenderer itself (security checklist 2).
 */
type Ipc = Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** Fails to compile, naming the member, when the lists below miss a member of Api. */
type Listed = (typeof apiMethodNames)[number] | (typeof apiEventNames)[number];
export const bridgeIsComplete: Exclude<keyof Api, Listed> extends never ? true : Exclude<keyof Api, Listed> = true;

export function createBridge(ipc: Ipc): Api {
  const members: Record<string, unknown> = {};
  for (const name of apiMethodNames) members[name] = methodOf(ipc, name);
  for (const name of apiEventNames) members[name] = eventOf(ipc, name);
  // The one cast: the object is built by iterating the member lists, which `bridgeIsComplete`
  // and endpoints.ts check against the contract at compile time.
  return Object.freeze(members) as unknown as Api;
}

function methodOf<M extends ApiMethodName>(ipc: Ipc, name: M): (args: ApiArgs<M>) => Promise<ApiReturn<M>> {
  return async (args) => {
    const result: unknown = await ipc.invoke(ipcChannel(name), args ?? {});
    if (!isResult(result)) throw internal(`${name}: the main process answered with something that is not an ApiResult`);
    if (result.ok) return result.value as ApiReturn<M>;
    throw result.error;
  };
}

function eventOf<E extends ApiEventName>(ipc: Ipc, name: E): (listener: (event: ApiEvents[E]) => void) => Unsubscribe {
  return (listener: (event: ApiEvents[E]) => void): Unsubscribe => {
    // Only the payload reaches the page, never the IpcRendererEvent (it exposes `sender`).
    const handler = (_event: IpcRendererEvent, payload: ApiEvents[E]) => listener(payload);
    ipc.on(ipcChannel(name), handler);
    return () => {
      ipc.removeListener(ipcChannel(name), handler);
    };
  };
}

function isResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  return value.ok === true ? 'value' in value : value.ok === false && 'error' in value && isApiError(value.error);
}

function internal(detail: string): ApiError {
  return { code: 'INTERNAL', detail };
}

contextBridge.exposeInMainWorld('taskStatus', createBridge(ipcRenderer));
