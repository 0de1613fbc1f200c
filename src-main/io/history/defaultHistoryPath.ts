import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { trayConfigPath } from '../config/trayConfigPath.js';

/**
 * The history file in the tray app's data folder, beside its `config.json` (Electron's userData
 * folder for the app name `task-status`): `~/.config/task-status/history.db` on Linux,
 * `~/Library/Application Support/task-status/history.db` on macOS, `%APPDATA%\task-status\history.db`
 * on Windows. `task-status serve` writes the same file unless told `--history FILE` or `--no-history`.
 */
export function defaultHistoryPath(platform: NodeJS.Platform = process.platform, env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): string {
  return join(dirname(trayConfigPath(platform, env, home)), 'history.db');
}
