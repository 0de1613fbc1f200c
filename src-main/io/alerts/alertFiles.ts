import type { ResolvedAlertsConfig } from '../../core/alerts/alertsConfig.js';
import type { AlertLog, AlertStore } from '../../core/alerts/alertStore.js';
import type { AlertRule, MaintenanceWindow } from '../../contract/alerts.js';
import { defaultAlertPaths } from './defaultAlertPaths.js';
import { FileAlertStore } from './fileAlertStore.js';
import { JsonLinesAlertLog } from './jsonLinesAlertLog.js';

/**
 * The alert pipeline's settings for a long-running face (the tray app, `serve`): the config's
 * rules and maintenance windows, the state file and the alert log at the config's paths, else in
 * the app data folder; `false` in the config turns either off.
 */
export function alertFilesFor(config: ResolvedAlertsConfig, onError: (message: string) => void, paths = defaultAlertPaths()): {
  rules: AlertRule[]; maintenance: MaintenanceWindow[]; store?: AlertStore; log?: AlertLog;
} {
  const statePath = config.alertState === false ? null : config.alertState ?? paths.state;
  const logPath = config.alertLog === false ? null : config.alertLog ?? paths.log;
  return {
    rules: config.rules,
    maintenance: config.maintenance,
    ...(statePath ? { store: new FileAlertStore(statePath, onError) } : {}),
    ...(logPath ? { log: new JsonLinesAlertLog(logPath) } : {}),
  };
}
