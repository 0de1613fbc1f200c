import type { Api, Unsubscribe } from '../../../src-main/contract/api.js';
import { bridgeApi } from './bridge.js';
import { EventSourceHub } from './eventSourceHub.js';
import { createHttpApi } from './httpApi.js';
import type { LinkListener } from './linkState.js';

/** The one backend interface of the renderer, whichever transport carries it. */
export interface ApiClient {
  api: Api;
  transport: 'ipc' | 'http';
  /** Called at once with the current state, then on each change. */
  onLinkChange(listener: LinkListener): Unsubscribe;
}

/**
 * Chooses the transport once, at start: the tray app's preload bridge when present (IPC, always
 * connected while the window lives), else the web face's HTTP routes and event stream.
 */
export function createApiClient(): ApiClient {
  const bridge = bridgeApi();
  if (bridge !== null) {
    return { api: bridge, transport: 'ipc', onLinkChange: (listener) => (listener('live'), () => {}) };
  }
  const hub = new EventSourceHub();
  return { api: createHttpApi(hub), transport: 'http', onLinkChange: (listener) => hub.onLinkChange(listener) };
}
