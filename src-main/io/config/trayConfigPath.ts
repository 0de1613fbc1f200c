import { join } from 'node:path';

/**
 * Where the tray app keeps its saved connections: electron-store's `config.json` in Electron's
 * userData folder for the app name `task-status`. The CLI reads it (never the keychain secrets).
 */
export function trayConfigPath(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'task-status', 'config.json');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'task-status', 'config.json');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'task-status', 'config.json');
}
