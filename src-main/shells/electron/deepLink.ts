import type { App } from 'electron';
import { decodeHandOff, deepLinkHash, parseDeepLinkArgs, type DeepLink, type KnownQueue } from '../../contract/deepLink.js';
import { startHandOffServer, type HandOffServer } from './deepLinkServer.js';

/**
 * Deep links in the tray app, thin over contract/deepLink.ts and deepLinkServer.ts:
 * - the app's own arguments (`task-status open queue --name X`) name the first place shown;
 * - a second launch hands its parsed link over as the single-instance lock's additional data
 *   (never its argv, which Chromium reorders and extends: reference/electron.md) and quits;
 * - `task-status open …` from a terminal reaches the running app over the socket.
 */

/** The user's arguments: after the executable, and after the app path in `electron .`. */
export function launchLink(argv: readonly string[], defaultApp: boolean): DeepLink | null {
  return parseDeepLinkArgs(argv.slice(defaultApp ? 2 : 1)).link;
}

/** One app per user; a second one passes its link to the first and quits. Before `ready`. */
export function setupSingleInstanceLink(app: App, launch: DeepLink | null, onLink: (link: DeepLink | null) => void): boolean {
  if (!app.requestSingleInstanceLock({ open: launch })) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, _argv, _cwd, data) => onLink(decodeHandOff(JSON.stringify(data ?? null))));
  return true;
}

export interface DeepLinkDeps {
  socketPath: string;
  /** Shows the window as it is (a link that names no place). */
  openWindow(): void;
  /** Shows the window at a hash route (Windows.openAt: a loaded page follows `hashchange`). */
  openAt(hash: string): void;
  /** The queues the monitor knows, to complete a link that names only a queue. */
  knownQueues(): Promise<KnownQueue[]>;
  warn(message: string): void;
}

export interface DeepLinks {
  /** Opens the window, at the link's place when there is one. */
  show(link: DeepLink | null): Promise<void>;
  close(): Promise<void>;
}

/** The socket server plus the one way a link is shown. Never throws: without a socket, links still come through the lock. */
export async function setupDeepLinks(deps: DeepLinkDeps): Promise<DeepLinks> {
  const show = async (link: DeepLink | null) => {
    if (!link) return deps.openWindow();
    const known = link.kind === 'queue' ? await deps.knownQueues().catch(() => []) : [];
    deps.openAt(deepLinkHash(link, known));
  };
  let server: HandOffServer | null = null;
  try {
    server = await startHandOffServer(deps.socketPath, (link) => void show(link));
  } catch (error) {
    deps.warn(`deep links from task-status open are off: ${deps.socketPath}: ${(error as Error).message}`);
  }
  return { show, close: async () => { await server?.close(); } };
}
