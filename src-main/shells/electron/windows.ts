import { BrowserWindow, type WebContents, type WebPreferences } from 'electron';
import { appOrigin } from './appIdentity.js';
import { isWindowRoute } from './notificationsModel.js';

export interface WindowsOptions {
  /** out/preload/index.cjs: sandboxed preloads must be CommonJS. */
  preloadPath: string;
  iconPath: string;
}

export interface Windows {
  /** Shows the window, creating it when there is none (closing it only hides the app in the tray). */
  open(): void;
  /**
   * Shows the window at a route (`#/queue/<conn>/<fw>/<name>`, `#/task/<id>`): a notification's
   * or the tray's way to the cause. Only a hash route of our renderer is accepted.
   */
  openAt(route: string): void;
  /** Sends an Api event to every open window. */
  broadcast(channel: string, payload: unknown): void;
}

/** Security checklist 1: isolation, sandbox, no Node; the defaults, written out so they stay so. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Security checklist 5: the window never leaves the renderer and is granted no permission. */
export function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

export function setupWindows(options: WindowsOptions): Windows {
  let window: BrowserWindow | null = null;

  function create(route = ''): BrowserWindow {
    const created = new BrowserWindow({
      width: 1180,
      height: 800,
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'task-status',
      icon: options.iconPath,
      webPreferences: secureWebPreferences(options.preloadPath),
    });
    lockNavigation(created.webContents);
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      if (window === created) window = null;
    });
    void created.loadURL(`${appOrigin}/index.html${route}`);
    return created;
  }

  function open(route?: string): void {
    if (window === null || window.isDestroyed()) {
      window = create(route);
      return;
    }
    // Only the fragment differs: Chromium navigates within the page (the renderer follows
    // `hashchange`), no reload; `will-navigate` is not emitted for it.
    const target = `${appOrigin}/index.html${route ?? ''}`;
    if (route !== undefined && window.webContents.getURL() !== target) void window.loadURL(target);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  return {
    open: () => open(),
    openAt(route) {
      open(isWindowRoute(route) ? route : '#/');
    },
    broadcast(channel, payload) {
      if (window !== null && !window.isDestroyed()) window.webContents.send(channel, payload);
    },
  };
}
