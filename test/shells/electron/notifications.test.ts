import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertsView } from '../../../src-main/contract/alerts.js';
import { followAlertNotifications, setupNotifications, setupToastActivation, toastActivatorClsid } from '../../../src-main/shells/electron/notifications.js';
import type { AlertsApi } from '../../../src-main/shells/electron/trayAlertsApi.js';
import { backlog, decision, failures, resolvedOf, t0, timeout } from './alertFixtures.js';
import { fake, FakeNotification, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

function start(platform: NodeJS.Platform = 'linux', maxKept?: number) {
  const openRoute = vi.fn();
  const warn = vi.fn();
  const controller = setupNotifications({ platform, openRoute, warn, ...(maxKept ? { maxKept } : {}) });
  return { controller, openRoute, warn };
}

describe('setupNotifications', () => {
  beforeEach(resetFakeElectron);

  it('one notification per incident start and one per recovery, even if a decision arrives twice', () => {
    const { controller } = start();
    controller.show(decision(backlog));
    controller.show(decision(backlog));
    controller.show(decision(resolvedOf(backlog, t0 + 60_000), 'resolved', t0 + 60_000));
    expect(FakeNotification.instances.map((n) => [n.options.title, n.show.mock.calls.length])).toEqual([
      ['Warning: Backlog over 1000', 1],
      ['Recovered (warning): Backlog over 1000', 1],
    ]);
    expect(FakeNotification.instances[0]!.options).toEqual({
      title: 'Warning: Backlog over 1000', body: 'prod rq default: waiting 1523 > 1000', id: `${backlog.key}@${t0}/start`,
      groupId: backlog.key, urgency: 'normal', timeoutType: 'default',
    });
  });

  it('a held-back decision shows nothing', () => {
    const { controller } = start();
    controller.show({ ...decision(backlog), notify: false, suppressedBy: 'maintenance' });
    expect(FakeNotification.instances).toEqual([]);
  });

  it('keeps a reference until clicked (Electron holds them weakly), bounded; a click opens the route', () => {
    const { controller, openRoute } = start('linux', 2);
    controller.show(decision(backlog));
    controller.show(decision(failures));
    controller.show(decision(timeout));
    expect(controller.keptCount()).toBe(2);
    FakeNotification.instances[2]!.emit('click');
    expect(openRoute.mock.calls).toEqual([['#/task/f3b1-9']]);
    expect(controller.keptCount()).toBe(1);
    // Linux and macOS: a dismissed notification is let go too.
    FakeNotification.instances[1]!.emit('close');
    expect(controller.keptCount()).toBe(0);
  });

  it('Windows: the toast carries its route; clicks, cold starts included, arrive through handleActivation only', () => {
    const { controller, openRoute } = start('win32');
    expect(controller.keptCount()).toBe(0);
    expect(FakeNotification.handleActivation).toHaveBeenCalledTimes(1);
    controller.show(decision(backlog));
    const toast = FakeNotification.instances[0]!;
    expect(toast.options.toastXml).toContain('launch="task-status:open?route=%23%2Fqueue%2Fprod%2Frq%2Fdefault"');
    expect(toast.listenerCount('click')).toBe(0);
    FakeNotification.activation!({ type: 'click', arguments: 'task-status:open?route=%23%2Fqueue%2Fprod%2Frq%2Fdefault' });
    FakeNotification.activation!({ type: 'click', arguments: 'something else' });
    expect(openRoute.mock.calls).toEqual([['#/queue/prod/rq/default']]);
    // `close` fires when a toast times out into Action Center: the reference stays.
    toast.emit('close');
    expect(controller.keptCount()).toBe(1);
  });

  it('Windows: a fixed toast activator CLSID is set before ready; elsewhere nothing', () => {
    setupToastActivation(fake.app as never, 'win32');
    expect(fake.app.setToastActivatorCLSID).toHaveBeenCalledWith(toastActivatorClsid);
    setupToastActivation(fake.app as never, 'linux');
    expect(fake.app.setToastActivatorCLSID).toHaveBeenCalledTimes(1);
  });

  it('macOS: notifications delivered before a restart are kept and open their alert when clicked', async () => {
    const earlier = new FakeNotification({ title: 'Warning: Backlog over 1000', groupId: backlog.key });
    FakeNotification.history = [earlier];
    const { controller, openRoute } = start('darwin');
    await vi.waitFor(() => expect(controller.keptCount()).toBe(1));
    earlier.emit('click');
    expect(openRoute.mock.calls).toEqual([['#/queue/prod/rq/default']]);
    expect(controller.keptCount()).toBe(0);
  });

  it('unsupported: says so once and shows nothing; a failed notification (unsigned macOS) is logged', () => {
    FakeNotification.isSupported.mockImplementation(() => false);
    const off = start();
    off.controller.show(decision(backlog));
    expect(FakeNotification.instances).toEqual([]);
    expect(off.warn).toHaveBeenCalledWith('native notifications are not supported here; the tray shows the alerts');

    resetFakeElectron();
    const mac = start('darwin');
    mac.controller.show(decision(backlog));
    FakeNotification.instances[0]!.emit('failed', {}, 'not signed');
    expect(mac.warn).toHaveBeenCalledWith('notification not shown: not signed');
  });
});

describe('followAlertNotifications', () => {
  beforeEach(resetFakeElectron);

  it('turns new notification stamps of the Api alert views into notifications, from this run on', async () => {
    let listener: ((view: AlertsView) => void) | null = null;
    const view = (...alerts: AlertsView['alerts']): AlertsView => ({ alerts, snoozes: [], maintenance: [], evaluatedAt: t0 });
    const api: AlertsApi = {
      getAlerts: vi.fn(async () => view({ ...failures, lastNotifiedAt: t0 - 10 })),
      acknowledgeAlert: vi.fn(async () => ({})),
      snoozeAlert: vi.fn(async () => ({})),
      onDidChangeAlerts: (l) => ((listener = l), () => (listener = null)),
    };
    const { controller } = start();
    const stop = followAlertNotifications(api, controller, t0 - 1);
    await vi.waitFor(() => expect(api.getAlerts).toHaveBeenCalled());
    listener!(view(backlog));
    listener!(view(backlog));
    listener!(view(resolvedOf(backlog, t0 + 60_000)));
    stop();
    expect(listener).toBeNull();
    expect(FakeNotification.instances.map((n) => n.options.title)).toEqual(['Warning: Backlog over 1000', 'Recovered (warning): Backlog over 1000']);
  });
});
