import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { setupTray } from '../../../src-main/shells/electron/tray.js';
import { trayViewOf } from '../../../src-main/shells/electron/trayModel.js';
import { connectionView } from '../../core/status/connectionView.js';
import { fake, FakeTray, resetFakeElectron, type FakeNativeImage } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

const t0 = 1_000_000;
const ok = trayViewOf(overallStatusOf([connectionView('prod')], t0, 5000));
const down = trayViewOf(overallStatusOf([connectionView('prod', { status: 'unreachable' })], t0, 5000));
const stale = trayViewOf(overallStatusOf([connectionView('prod', { lastGoodPollAt: t0 - 60_000 })], t0, 5000));

function start(platform: NodeJS.Platform = 'linux') {
  const actions = { openWindow: vi.fn(), quit: vi.fn() };
  const controller = setupTray({ assetsDir: '/assets', platform, ...actions });
  const tray = FakeTray.instances[0]!;
  return { controller, tray, actions };
}

const imagePaths = (tray: FakeTray) => tray.setImage.mock.calls.map(([image]) => (image as FakeNativeImage).path);

describe('setupTray', () => {
  beforeEach(resetFakeElectron);

  it('makes one tray showing "stale, waiting" with a context menu before any poll', () => {
    const { tray } = start();
    expect(FakeTray.instances).toHaveLength(1);
    expect(tray.image.path).toBe(join('/assets', 'tray', 'stale-32.png'));
    expect(tray.setToolTip).toHaveBeenCalledWith('task-status: Stale: waiting for the first poll');
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(tray.menu!.template.map((i) => i.label ?? i.type)).toEqual(['Open window', 'separator', 'Stale: waiting for the first poll', 'separator', 'Quit task-status']);
  });

  it('calls setImage only when the status changes, with one cached image per status', () => {
    const { controller, tray } = start();
    for (const view of [ok, ok, down, down, down, ok, stale, stale]) controller.show(view);
    expect(imagePaths(tray)).toEqual(['ok', 'emergency', 'ok', 'stale'].map((s) => join('/assets', 'tray', `${s}-32.png`)));
    // stale's image was loaded for the constructor and reused; ok was loaded once for two uses
    expect(fake.nativeImage.createFromPath.mock.calls.map(([p]) => p)).toEqual(
      ['stale', 'ok', 'emergency'].map((s) => join('/assets', 'tray', `${s}-32.png`)));
    expect(tray.setImage.mock.calls[0]![0]).toBe(tray.setImage.mock.calls[2]![0]);
  });

  it('sets the menu again only when it changed', () => {
    const { controller, tray } = start();
    controller.show(ok);
    controller.show(ok);
    controller.show(down);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(3);
    expect(tray.menu!.template.map((i) => i.label ?? i.type)).toEqual(
      ['Open window', 'separator', 'Emergency: broker unreachable: prod', 'prod: unreachable', 'separator', 'Quit task-status']);
  });

  it('wires Open window, the connection lines, the icon click and Quit', () => {
    const { controller, tray, actions } = start();
    controller.show(ok);
    tray.menu!.click('Open window');
    tray.menu!.click('prod: ok');
    tray.emit('click');
    expect(actions.openWindow).toHaveBeenCalledTimes(3);
    tray.menu!.click('Quit task-status');
    expect(actions.quit).toHaveBeenCalledTimes(1);
  });

  it('uses template images and a title on macOS, .ico on Windows', () => {
    const mac = start('darwin');
    mac.controller.show(down);
    expect(imagePaths(mac.tray)).toEqual([join('/assets', 'tray', 'emergencyTemplate.png')]);
    expect((mac.tray.setImage.mock.calls[0]![0] as FakeNativeImage).isTemplate).toBe(true);
    expect(mac.tray.setTitle.mock.calls).toEqual([['STALE'], ['EMERG']]);

    resetFakeElectron();
    const win = start('win32');
    win.controller.show(ok);
    expect(imagePaths(win.tray)).toEqual([join('/assets', 'tray', 'ok.ico')]);
    expect(win.tray.setTitle).not.toHaveBeenCalled();
  });
});
