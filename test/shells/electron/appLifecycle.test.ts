import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appId } from '../../../src-main/shells/electron/appIdentity.js';
import { keepRunningInTray, setupAppIdentity, setupQuit, setupSingleInstance } from '../../../src-main/shells/electron/appLifecycle.js';
import { fake, fakeState, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

const app = fake.app as never;

describe('app lifecycle', () => {
  beforeEach(resetFakeElectron);
  afterEach(() => vi.useRealTimers());

  it('the second instance quits; the first opens its window when another is launched', () => {
    const open = vi.fn();
    expect(setupSingleInstance(app, open)).toBe(true);
    fake.app.emit('second-instance', {}, ['electron', '.'], '/', {});
    expect(open).toHaveBeenCalledTimes(1);
    fakeState.hasSingleInstanceLock = false;
    expect(setupSingleInstance(app, open)).toBe(false);
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
  });

  it('sets the AppUserModelID to the appId, and hides the Dock on macOS only', () => {
    setupAppIdentity(app, 'linux');
    setupAppIdentity(app, 'darwin');
    expect(fake.app.setAppUserModelId.mock.calls).toEqual([[appId], [appId]]);
    expect(fake.app.dock.hide).toHaveBeenCalledTimes(1);
  });

  it('stays in the tray when the window closes', () => {
    keepRunningInTray(app);
    expect(fake.app.listenerCount('window-all-closed')).toBe(1);
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).not.toHaveBeenCalled();
  });

  it('closes the monitor before quitting, once', async () => {
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => { finish = resolve; }));
    setupQuit(app, close);
    const first = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', first);
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    expect([first.preventDefault.mock.calls.length, close.mock.calls.length, fake.app.quit.mock.calls.length]).toEqual([1, 1, 0]);
    finish();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1));
    const last = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits anyway when closing hangs', async () => {
    vi.useFakeTimers();
    setupQuit(app, () => new Promise<void>(() => {}), 3000);
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    await vi.advanceTimersByTimeAsync(2999);
    expect(fake.app.quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
  });
});
