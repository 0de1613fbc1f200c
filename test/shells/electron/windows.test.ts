import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setupWindows } from '../../../src-main/shells/electron/windows.js';
import { FakeBrowserWindow, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

const options = { preloadPath: '/app/out/preload/index.cjs', iconPath: '/app/assets/app/icons/256x256.png' };

function openOne() {
  const windows = setupWindows(options);
  windows.open();
  return { windows, window: FakeBrowserWindow.instances[0]! };
}

describe('setupWindows', () => {
  beforeEach(resetFakeElectron);

  it('creates the window with the secure webPreferences and the CommonJS preload', () => {
    const { window } = openOne();
    expect(window.options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
    expect(window.options.show).toBe(false);
    expect(window.options.icon).toBe('/app/assets/app/icons/256x256.png');
  });

  it('loads the renderer through app://, never file://', () => {
    const { window } = openOne();
    expect(window.loadURL.mock.calls).toEqual([['app://task-status/index.html']]);
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledTimes(1);
  });

  it('locks navigation: no navigating, redirecting, new windows, webviews or permissions', () => {
    const { window } = openOne();
    const contents = window.webContents;
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalledTimes(1);
    }
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as (details: unknown) => unknown;
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const requestHandler = contents.session.setPermissionRequestHandler.mock.calls[0]![0] as (...args: unknown[]) => void;
    const grant = vi.fn();
    requestHandler(contents, 'media', grant, {});
    expect(grant.mock.calls).toEqual([[false]]);
    const checkHandler = contents.session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(checkHandler(contents, 'notifications', 'app://task-status', {})).toBe(false);
  });

  it('reuses the open window, and makes a new one after it was closed', () => {
    const { windows, window } = openOne();
    window.minimized = true;
    windows.open();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect([window.restore.mock.calls.length, window.show.mock.calls.length, window.focus.mock.calls.length]).toEqual([1, 1, 1]);
    window.close();
    windows.open();
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });

  it('broadcasts events to the open window only', () => {
    const { windows, window } = openOne();
    windows.broadcast('task-status:onDidChangeDashboard', { connections: [] });
    window.close();
    windows.broadcast('task-status:onDidChangeDashboard', { connections: [] });
    expect(window.webContents.send.mock.calls).toEqual([['task-status:onDidChangeDashboard', { connections: [] }]]);
  });
});

describe('openAt', () => {
  beforeEach(resetFakeElectron);

  it('opens a new window at the route, or moves the open one there without a reload when only the fragment differs', () => {
    const windows = setupWindows(options);
    windows.openAt('#/queue/prod/rq/default');
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.loadURL.mock.calls).toEqual([['app://task-status/index.html#/queue/prod/rq/default']]);
    windows.openAt('#/queue/prod/rq/default');
    windows.openAt('#/task/f3b1-9');
    expect(window.loadURL.mock.calls.map(([u]) => u)).toEqual(['app://task-status/index.html#/queue/prod/rq/default', 'app://task-status/index.html#/task/f3b1-9']);
    expect(window.show).toHaveBeenCalledTimes(2);
    expect(FakeBrowserWindow.instances).toHaveLength(1);
  });

  it('anything but a window route opens the dashboard', () => {
    const windows = setupWindows(options);
    windows.openAt('javascript:alert(1)');
    expect(FakeBrowserWindow.instances[0]!.loadURL.mock.calls).toEqual([['app://task-status/index.html#/']]);
  });
});
