import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { trayConfigPath } from '../config/trayConfigPath.js';

/**
 * The alert state and log files in the tray app's data folder, beside its `config.json`
 * (`~/.config/task-status/` on Linux, `~/Library/Application Support/task-status/` on macOS,
 * `%APPDATA%\task-status\` on Windows): `alerts-state.json` and `alerts.log`.
 */
export function defaultAlertPaths(platform: NodeJS.Platform = process.platform, env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): { state: string; log: string } {
  const folder = dirname(trayConfigPath(platform, env, home));
  return { state: join(folder, 'alerts-state.json'), log: join(folder, 'alerts.log') };
}
