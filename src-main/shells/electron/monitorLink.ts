import type { Api } from '../../contract/api.js';
import type { AppConfig } from '../../contract/config.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import { createApp } from '../../bootstrap/createApp.js';
import { defaultPollIntervalMs } from '../../core/config/resolveConnections.js';
import { alertsFromConfig } from '../../core/alerts/alertsConfig.js';
import { alertFilesFor } from '../../io/alerts/alertFiles.js';
import type { PasswordSealer } from './settings/passwordSealer.js';
import { loadSettings, type ConfigDocumentStore } from './settings/savedConnections.js';
import { notificationsEnabledIn } from './settings/settingsMerge.js';

/** What the tray app needs of the monitoring core. */
export interface MonitorLink {
  api: Api;
  /** The resolved poll interval (config `pollInterval`, 5 s by default): staleness is measured in it. */
  pollIntervalMs: number;
  /** Native notifications on (config `notifications.enabled`, default on; Settings switches it). */
  notificationsEnabled: boolean;
  close(): Promise<void>;
}

export interface MonitorSetup {
  openStore(): ConfigDocumentStore;
  sealer: PasswordSealer;
  env: Readonly<Record<string, string | undefined>>;
  warn(message: string): void;
  /** The history file, in the app's data folder (userData); absent: no history is kept. */
  historyPath?: string;
}

/**
 * Saved connections → monitor. Never throws: a config that cannot be read or used gives an Api
 * whose every call answers with that coded error, so the tray and the window can say what is
 * wrong while the user can still quit.
 */
export async function setupMonitor(setup: MonitorSetup): Promise<MonitorLink> {
  try {
    const store = setup.openStore();
    const settings = await loadSettings(store, setup.sealer);
    settings.warnings.forEach((warning) => setup.warn(warning));
    return startMonitor(settings.config, setup.env, setup.historyPath);
  } catch (error) {
    const problem: ApiError = isApiError(error) ? { code: error.code, detail: error.detail }
      : { code: 'BAD_CONFIG', detail: `the saved connections cannot be read: ${error instanceof Error ? error.message : String(error)}` };
    setup.warn(`${problem.code}: ${problem.detail}`);
    return failedMonitor(problem);
  }
}

/**
 * The one place the Electron shell meets bootstrap/createApp: the saved config (passwords
 * opened, in memory) goes in, polling starts, and the Api comes out.
 */
export function startMonitor(config: AppConfig, env: Readonly<Record<string, string | undefined>>, historyPath?: string): MonitorLink {
  // Rules from the saved config; alert state and log in the app's data folder (or where the config says).
  const alerts = alertFilesFor(alertsFromConfig(config, 'the tray app config'), (m) => process.stderr.write(`task-status: ${m}\n`));
  const app = createApp({ config, env, history: historyPath ? { path: historyPath } : null, alerts });
  app.monitor.start();
  return { api: app.api, pollIntervalMs: app.config.pollIntervalMs, notificationsEnabled: notificationsEnabledIn(config), close: () => app.close() };
}

export function failedMonitor(problem: ApiError): MonitorLink {
  const fail = async (): Promise<never> => {
    throw problem;
  };
  return {
    api: { getDashboard: fail, getQueues: fail, getTask: fail, getHistory: fail, getHistoryInfo: fail, listTasks: fail, runTaskAction: fail, getSettings: fail, saveSettings: fail, testConnection: fail,
      getAlerts: fail, acknowledgeAlert: fail, snoozeAlert: fail, onDidChangeDashboard: () => () => {}, onDidChangeAlerts: () => () => {} },
    pollIntervalMs: defaultPollIntervalMs,
    notificationsEnabled: true,
    close: async () => {},
  };
}
