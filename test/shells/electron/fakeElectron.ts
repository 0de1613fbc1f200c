import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A fake `electron` module for the shell's unit tests: the real binary cannot run on the build
 * machines. Use it in a test file with
 *
 *   vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());
 *
 * which replaces test/support/noElectron.ts's throwing mock for that file. Every fake records
 * its calls; `resetFakeElectron()` in `beforeEach` starts each test from scratch.
 */

export class FakeNativeImage {
  isTemplate = false;
  constructor(readonly path: string) {}
  setTemplateImage(value: boolean): void {
    this.isTemplate = value;
  }
  isEmpty(): boolean {
    return false;
  }
}

export class FakeMenu {
  constructor(readonly template: Array<Record<string, unknown>>) {}
  /** Clicks the item with this label, as a user would. */
  click(label: string): void {
    const item = this.template.find((i) => i.label === label);
    if (!item || typeof item.click !== 'function') throw new Error(`no clickable menu item "${label}"`);
    (item.click as () => void)();
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  readonly setImage = vi.fn();
  readonly setToolTip = vi.fn();
  readonly setTitle = vi.fn();
  readonly setContextMenu = vi.fn<(menu: FakeMenu) => void>();
  readonly destroy = vi.fn();
  constructor(readonly image: FakeNativeImage) {
    super();
    FakeTray.instances.push(this);
  }
  get menu(): FakeMenu | undefined {
    return this.setContextMenu.mock.lastCall?.[0];
  }
}

export class FakeSession {
  readonly setPermissionRequestHandler = vi.fn();
  readonly setPermissionCheckHandler = vi.fn();
}

export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  readonly send = vi.fn();
  readonly setWindowOpenHandler = vi.fn();
  url = '';
  readonly getURL = vi.fn(() => this.url);
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  destroyed = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static isSupported = vi.fn(() => true);
  /** Windows: the activation callback main registered (a test calls it as Action Center would). */
  static activation: ((details: { type: string; arguments: string }) => void) | null = null;
  /** macOS: what `getHistory` hands back (notifications delivered before a restart). */
  static history: FakeNotification[] = [];
  static getHistory = vi.fn(async () => FakeNotification.history);
  get groupId(): string {
    return String(this.options.groupId ?? '');
  }
  static handleActivation = vi.fn((callback: (details: { type: string; arguments: string }) => void) => {
    FakeNotification.activation = callback;
  });
  readonly show = vi.fn();
  readonly close = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeNotification.instances.push(this);
  }
}

/** A stand-in for the OS keychain: reversible, and never contains the clear text. */
export const fakeCipher = {
  seal: (text: string) => Buffer.concat([Buffer.from('sealed:'), Buffer.from(text).map((b) => b ^ 0x5a)]),
  open: (bytes: Buffer) => Buffer.from(bytes.subarray(7).map((b) => b ^ 0x5a)).toString(),
};

/** Knobs a test turns before exercising the code. */
export const fakeState = {
  hasSingleInstanceLock: true,
  userDataDir: '/nonexistent/task-status',
  appPath: '/nonexistent/app',
  isAsyncEncryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as string,
  /** Decrypting answers `shouldReEncrypt: true` (the key was rotated). */
  shouldReEncrypt: false,
};

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly dock = { hide: vi.fn() };
  readonly requestSingleInstanceLock = vi.fn(() => fakeState.hasSingleInstanceLock);
  readonly setAppUserModelId = vi.fn();
  readonly setToastActivatorCLSID = vi.fn();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly whenReady = vi.fn(async () => {});
  readonly getPath = vi.fn((_name: string) => fakeState.userDataDir);
  readonly getAppPath = vi.fn(() => fakeState.appPath);
  readonly getVersion = vi.fn(() => '0.1.0');
}

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  readonly handle = vi.fn((channel: string, handler: Handler) => {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  });
  readonly removeHandler = vi.fn((channel: string) => this.handlers.delete(channel));
  /** Calls a handler as a renderer frame at `senderUrl` would (`null`: the frame is gone). */
  async invoke(channel: string, senderUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  /** What main answers, per channel; a test sets it. */
  readonly answers = new Map<string, (args: unknown) => unknown>();
  readonly invoke = vi.fn(async (channel: string, args: unknown) => {
    const answer = this.answers.get(channel);
    if (!answer) throw new Error(`No handler registered for '${channel}'`);
    return answer(args);
  });
  /** Main sending on a channel: listeners get an event object first, as in Electron. */
  deliver(channel: string, payload: unknown): void {
    this.emit(channel, { sender: this, senderId: 0 }, payload);
  }
}

export const fake = {
  app: new FakeApp(),
  ipcMain: new FakeIpcMain(),
  ipcRenderer: new FakeIpcRenderer(),
  contextBridge: {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      fake.contextBridge.exposed.set(key, api);
    }),
  },
  protocol: {
    handlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response> | Response) => {
      fake.protocol.handlers.set(scheme, handler);
    }),
  },
  safeStorage: {
    isAsyncEncryptionAvailable: vi.fn(async () => fakeState.isAsyncEncryptionAvailable),
    encryptStringAsync: vi.fn(async (text: string) => fakeCipher.seal(text)),
    decryptStringAsync: vi.fn(async (bytes: Buffer) => ({ result: fakeCipher.open(bytes), shouldReEncrypt: fakeState.shouldReEncrypt })),
    getSelectedStorageBackend: vi.fn(() => fakeState.storageBackend),
    /** Deprecated sync API: the code must not call it. */
    encryptString: vi.fn(() => {
      throw new Error('encryptString is deprecated: use encryptStringAsync');
    }),
    decryptString: vi.fn(() => {
      throw new Error('decryptString is deprecated: use decryptStringAsync');
    }),
  },
  Menu: { buildFromTemplate: vi.fn((template: Array<Record<string, unknown>>) => new FakeMenu(template)) },
  nativeImage: { createFromPath: vi.fn((path: string) => new FakeNativeImage(path)) },
  Tray: FakeTray,
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
};

/** The module object `vi.mock('electron', …)` returns (electron-store imports the default). */
export function fakeElectronModule(): Record<string, unknown> {
  const api = {
    app: fake.app,
    ipcMain: fake.ipcMain,
    ipcRenderer: fake.ipcRenderer,
    contextBridge: fake.contextBridge,
    protocol: fake.protocol,
    safeStorage: fake.safeStorage,
    Menu: fake.Menu,
    nativeImage: fake.nativeImage,
    Tray: FakeTray,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    shell: { openPath: vi.fn(async () => '') },
  };
  return { ...api, default: api };
}

export function resetFakeElectron(): void {
  Object.assign(fakeState, {
    hasSingleInstanceLock: true,
    userDataDir: '/nonexistent/task-status',
    appPath: '/nonexistent/app',
    isAsyncEncryptionAvailable: true,
    storageBackend: 'gnome_libsecret',
    shouldReEncrypt: false,
  });
  FakeTray.instances.length = 0;
  FakeBrowserWindow.instances.length = 0;
  FakeNotification.instances.length = 0;
  FakeNotification.activation = null;
  FakeNotification.history = [];
  FakeNotification.isSupported.mockImplementation(() => true);
  fake.ipcMain.handlers.clear();
  fake.ipcMain.removeAllListeners();
  fake.ipcRenderer.answers.clear();
  fake.ipcRenderer.removeAllListeners();
  fake.app.removeAllListeners();
  fake.contextBridge.exposed.clear();
  fake.protocol.handlers.clear();
  vi.clearAllMocks();
}
