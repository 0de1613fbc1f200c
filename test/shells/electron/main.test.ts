import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { apiMethodNames, ipcChannel } from '../../../src-main/contract/endpoints.js';
import { appId } from '../../../src-main/shells/electron/appIdentity.js';
import { freePort } from '../../support/redisServer.js';
import { fake, FakeBrowserWindow, fakeState, FakeTray, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

/** main.ts end to end with the fake: the order of the setup calls and what each leaves behind. */
const dir = await mkdtemp(join(tmpdir(), 'task-status-main-'));
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('main.ts', () => {
  it('wires single instance, identity, app:// scheme, tray, IPC, window and quit', async () => {
    resetFakeElectron();
    fakeState.userDataDir = dir;
    fakeState.appPath = '/opt/task-status';
    // A saved connection to a port nobody listens on: never the shared 127.0.0.1:6379.
    await writeFile(join(dir, 'config.json'), JSON.stringify({ connections: [{ id: 'gone', kind: 'redis', url: `redis://127.0.0.1:${await freePort()}/0` }] }));
    await import('../../../src-main/shells/electron/main.js');

    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(fake.app.setAppUserModelId).toHaveBeenCalledWith(appId);
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(fake.app.listenerCount('window-all-closed')).toBe(1);
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));

    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
    expect(FakeTray.instances).toHaveLength(1);
    expect(FakeTray.instances[0]!.image.path).toBe(join('/opt/task-status', 'assets', 'tray', 'stale-32.png'));
    expect([...fake.ipcMain.handlers.keys()]).toEqual(apiMethodNames.map(ipcChannel));
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.loadURL.mock.calls).toEqual([['app://task-status/index.html']]);
    expect((window.options.webPreferences as { preload: string }).preload).toBe(join('/opt/task-status', 'out', 'preload', 'index.cjs'));

    // the unreachable broker reaches the tray as an emergency
    // (with the Api's alert members, the "broker unreachable" rule fires and is listed too)
    await vi.waitFor(() => expect(FakeTray.instances[0]!.setToolTip.mock.lastCall?.[0]).toMatch(/^task-status: Emergency: (1 alert firing; )?broker unreachable: gone\n/), { timeout: 10_000 });
    expect(FakeTray.instances[0]!.setToolTip.mock.lastCall?.[0]).toMatch(/\ngone: unreachable/);

    // the IPC answers our window
    const answer = await fake.ipcMain.invoke('task-status:getDashboard', 'app://task-status/index.html', {});
    expect(answer).toMatchObject({ ok: true, value: { connections: [{ id: 'gone', status: 'unreachable' }] } });

    // a second launch opens the window; Quit closes the monitor, then quits
    window.close();
    fake.app.emit('second-instance', {}, [], '/', {});
    expect(FakeBrowserWindow.instances).toHaveLength(2);
    FakeTray.instances[0]!.menu!.click('Quit task-status');
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    const event = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(2));
    expect(FakeTray.instances[0]!.destroy).toHaveBeenCalledTimes(1);
  });
});
