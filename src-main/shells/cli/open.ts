import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { deepLinkArgs, handOffSocketPath, parseDeepLinkArgs, type DeepLink } from '../../contract/deepLink.js';
import { ConfigError } from '../../core/config/configError.js';
import { trayConfigPath } from '../../io/config/trayConfigPath.js';
import { exitCodes } from './messages.js';
import { sendHandOff } from './openClient.js';

export interface OpenDeps {
  socketPath: string;
  send(path: string, link: DeepLink): Promise<'delivered' | 'no-app' | 'refused'>;
  /** The tray app's executable, or `null` when none is installed where one is looked for. */
  findApp(): string | null;
  startApp(executable: string, args: string[]): void;
  say(line: string): void;
}

/**
 * `task-status open queue --name X` / `open task --id Y` / `open dashboard|alerts|settings`:
 * shows the place in the running tray app (over its socket), or starts the app with the same
 * arguments when none runs. Exit 0 shown or started; 2 bad usage, or no app to start.
 */
export async function runOpen(args: readonly string[], deps: OpenDeps): Promise<number> {
  const parsed = parseDeepLinkArgs(args);
  if (!parsed.link) throw new ConfigError('BAD_USAGE', parsed.problem ?? 'name a place: queue, task, dashboard, alerts or settings');
  const outcome = await deps.send(deps.socketPath, parsed.link);
  if (outcome === 'delivered') {
    deps.say('shown in the running tray app');
    return exitCodes.printed;
  }
  if (outcome === 'refused') throw new ConfigError('BAD_USAGE', `the tray app at ${deps.socketPath} refused the request`);
  const app = deps.findApp();
  if (!app) {
    throw new ConfigError('BAD_CONFIG', 'the tray app is not running and was not found where it is installed; start it (npm start in a checkout) or set TASK_STATUS_APP to its executable');
  }
  deps.startApp(app, deepLinkArgs(parsed.link));
  deps.say(`started the tray app (${app})`);
  return exitCodes.printed;
}

/** Where the packaged app is installed by default (electron-builder.yml: deb/AppImage, dmg, NSIS per user). */
export function appCandidates(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  const chosen = env.TASK_STATUS_APP ? [env.TASK_STATUS_APP] : [];
  if (platform === 'win32') return [...chosen, join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Programs', 'task-status', 'task-status.exe')];
  if (platform === 'darwin') return [...chosen, '/Applications/task-status.app/Contents/MacOS/task-status', join(home, 'Applications', 'task-status.app', 'Contents', 'MacOS', 'task-status')];
  return [...chosen, '/opt/task-status/task-status', join(home, 'Applications', 'task-status.AppImage')];
}

/** The real collaborators: the socket in the app's data folder, the installed executable. */
export function systemOpenDeps(env: Readonly<Record<string, string | undefined>> = process.env): OpenDeps {
  const home = homedir();
  return {
    socketPath: handOffSocketPath(process.platform, dirname(trayConfigPath(process.platform, env, home)), userInfo().username),
    send: (path, link) => sendHandOff(path, link),
    findApp: () => appCandidates(process.platform, env, home).find((p) => existsSync(p)) ?? null,
    startApp: (executable, args) => spawn(executable, args, { detached: true, stdio: 'ignore' }).unref(),
    say: (line) => process.stdout.write(`task-status: ${line}\n`),
  };
}
