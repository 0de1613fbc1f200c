import { join } from 'node:path';
import { app, ipcMain, protocol, safeStorage } from 'electron';
import { setupAppIdentity, keepRunningInTray, setupQuit, setupSingleInstance } from './appLifecycle.js';
import { registerAppScheme, setupAppProtocol } from './appProtocol.js';
import { forwardApiEvents, registerIpc } from './ipc.js';
import { setupMonitor } from './monitorLink.js';
import { openConfigStore } from './settings/configStore.js';
import { createSafeStorageSealer } from './settings/passwordSealer.js';
import { setupStatusFeed } from './statusFeed.js';
import { setupTray } from './tray.js';
import { appIconPath, assetsDirOf } from './trayIcons.js';
import { setupWindows, type Windows } from './windows.js';

/**
 * The tray app, as a table of contents (Electron Fiddle's main.ts). Every piece is a setupX()
 * or registerX() in its own file; decisions live in plain functions tested without Electron.
 */
let windows: Windows | null = null;

function main(): void {
  if (!setupSingleInstance(app, () => windows?.open())) return;
  setupAppIdentity(app, process.platform);
  registerAppScheme(protocol);
  keepRunningInTray(app);
  app.whenReady().then(start).catch((error: unknown) => {
    console.error('task-status could not start:', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  // `electron .` in a checkout, or resources/app.asar once packaged; out/ is the electron-vite build.
  const appPath = app.getAppPath();
  const assetsDir = assetsDirOf(app.isPackaged, process.resourcesPath, appPath);
  setupAppProtocol(protocol, join(appPath, 'out', 'renderer'));
  windows = setupWindows({ preloadPath: join(appPath, 'out', 'preload', 'index.cjs'), iconPath: appIconPath(assetsDir, process.platform) });
  const tray = setupTray({ assetsDir, platform: process.platform, openWindow: windows.open, quit: () => app.quit() });
  const monitor = await setupMonitor({
    openStore: openConfigStore,
    sealer: createSafeStorageSealer(safeStorage, process.platform),
    env: process.env,
    historyPath: join(app.getPath('userData'), 'history.db'),
    warn: (message) => console.warn(`task-status: ${message}`),
  });
  registerIpc(ipcMain, monitor.api);
  const stopEvents = forwardApiEvents(monitor.api, windows.broadcast);
  const feed = setupStatusFeed({ api: monitor.api, pollIntervalMs: monitor.pollIntervalMs, now: Date.now, show: tray.show });
  setupQuit(app, async () => {
    feed.stop();
    stopEvents();
    await monitor.close();
    tray.destroy();
  });
  // Started at login with --hidden: stay in the tray. Opened after registerIpc, so that the
  // renderer's first call finds its handler.
  if (!process.argv.includes('--hidden')) windows.open();
}

main();
