import type { App } from 'electron';
import { appId } from './appIdentity.js';

/**
 * One tray app per user: a second launch hands over to the first (which opens its window) and
 * quits. Must run before `ready`; `second-instance` always fires after it.
 */
export function setupSingleInstance(app: App, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondInstance());
  return true;
}

/**
 * The AppUserModelID must equal electron-builder's appId (Windows shortcut, toasts); a tray-only
 * app keeps out of the macOS Dock.
 */
export function setupAppIdentity(app: App, platform: NodeJS.Platform): void {
  app.setAppUserModelId(appId);
  if (platform === 'darwin') app.dock?.hide();
}

/** Closing the window leaves the app in the tray; only Quit (or the OS) ends it. */
export function keepRunningInTray(app: App): void {
  app.on('window-all-closed', () => {});
}

/**
 * On quit, stop polling and close broker connections first, but never let a hung broker keep
 * the app from quitting: after `timeoutMs` it exits anyway.
 */
export function setupQuit(app: App, close: () => Promise<void>, timeoutMs = 3000): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs));
    void Promise.race([close().catch(() => {}), timeout]).then(() => {
      state = 'closed';
      app.quit();
    });
  });
}
