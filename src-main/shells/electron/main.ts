import { userInfo } from 'node:os';
import { join } from 'node:path';
import { app, ipcMain, protocol, safeStorage } from 'electron';
import { setupAppIdentity, keepRunningInTray, setupQuit } from './appLifecycle.js';
import { registerAppScheme, setupAppProtocol } from './appProtocol.js';
import { forwardApiEvents, registerIpc } from './ipc.js';
import { launchLink, setupDeepLinks, setupSingleInstanceLink, type DeepLinks } from './deepLink.js';
import { setupMonitorWithSettings } from './settings/settingsLink.js';
import { handOffSocketPath } from '../../contract/deepLink.js';
import { followAlertNotifications, setupNotifications, setupToastActivation, switchedNotifications } from './notifications.js';
import { openConfigStore } from './settings/configStore.js';
import { createSafeStorageSealer } from './settings/passwordSealer.js';
import { setupStatusFeed } from './statusFeed.js';
import { setupTray } from './tray.js';
import { alertsApiOf, type AlertsApi } from './trayAlertsApi.js';
import { appIconPath, assetsDirOf } from './trayIcons.js';
import { setupWindows, type Windows } from './windows.js';

/**
 * The tray app, as a table of contents (Electron Fiddle's main.ts). Every piece is a setupX()
 * or registerX() in its own file; decisions live in plain functions tested without Electron.
 */
let windows: Windows | null = null;
let links: DeepLinks | null = null;
/** `task-status open queue --name X` as the app's own arguments: the first place shown. */
const launch = launchLink(process.argv, process.defaultApp === true);

function main(): void {
  if (!setupSingleInstanceLink(app, launch, (link) => (links ? void links.show(link) : windows?.open()))) return;
  setupAppIdentity(app, process.platform);
  setupToastActivation(app, process.platform);
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
  const warn = (message: string) => console.warn(`task-status: ${message}`);
  const startedAt = Date.now();
  // Right after ready: on Windows this registers the toast activation handler (cold starts too).
  const notifications = setupNotifications({ platform: process.platform, openRoute: windows.openAt, warn });
  let alerts: AlertsApi | null = null;
  const tray = setupTray({
    assetsDir, platform: process.platform, openWindow: windows.open, openRoute: windows.openAt, quit: () => app.quit(),
    acknowledge: (key) => void alerts?.acknowledgeAlert({ key }).catch((e: unknown) => warn(`acknowledge ${key}: ${String(e)}`)),
    snooze: (key, forMs) => void alerts?.snoozeAlert({ key, forMs }).catch((e: unknown) => warn(`snooze ${key}: ${String(e)}`)),
  });
  const monitor = await setupMonitorWithSettings({
    openStore: openConfigStore,
    sealer: createSafeStorageSealer(safeStorage, process.platform),
    env: process.env,
    historyPath: join(app.getPath('userData'), 'history.db'),
    warn,
  });
  alerts = alertsApiOf(monitor.api);
  registerIpc(ipcMain, monitor.api);
  const stopEvents = forwardApiEvents(monitor.api, windows.broadcast);
  const feed = setupStatusFeed({ api: monitor.api, pollIntervalMs: monitor.pollIntervalMs, now: Date.now, show: tray.show, alerts });
  const stopNotifying = followAlertNotifications(alerts, switchedNotifications(notifications, () => monitor.notificationsEnabled), startedAt);
  links = await setupDeepLinks({
    socketPath: handOffSocketPath(process.platform, app.getPath('userData'), userInfo().username),
    openWindow: windows.open, openAt: windows.openAt, warn,
    knownQueues: async () => (await monitor.api.getDashboard({})).connections.flatMap((c) => c.queues.map((q) => ({ connection: q.connection, framework: q.framework, queue: q.queue }))),
  });
  const deepLinks = links;
  setupQuit(app, async () => {
    await deepLinks.close();
    feed.stop();
    stopNotifying();
    notifications.dispose();
    stopEvents();
    await monitor.close();
    tray.destroy();
  });
  // Started at login with --hidden: stay in the tray. Opened after registerIpc, so that the
  // renderer's first call finds its handler.
  if (launch) void links.show(launch);
  else if (!process.argv.includes('--hidden')) windows.open();
}

main();
