import type { Api } from '../../../src-main/contract/api.js';

declare global {
  interface Window {
    /**
     * The Electron preload bridge: the contract's Api, exposed with contextBridge. Absent in a
     * browser, where the web face's HTTP transport is used instead.
     */
    taskStatus?: Api;
  }
}

/** The preload bridge when this page runs in the tray app's window, else `null`. */
export function bridgeApi(): Api | null {
  return typeof window !== 'undefined' && window.taskStatus !== undefined ? window.taskStatus : null;
}
