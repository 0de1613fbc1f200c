import { describe, expect, it, vi } from 'vitest';
import type { NotifyDecision } from '../../../src-main/contract/alerts.js';
import { switchedNotifications, type NotificationsController } from '../../../src-main/shells/electron/notifications.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

/** The Settings switch for native notifications, asked at each decision. */
describe('switchedNotifications', () => {
  it('shows decisions only while the switch is on', () => {
    const shown: NotifyDecision[] = [];
    const inner: NotificationsController = { show: (d) => void shown.push(d), keptCount: () => shown.length, dispose: () => {} };
    let on = false;
    const switched = switchedNotifications(inner, () => on);
    const decision = { notify: true } as unknown as NotifyDecision;
    switched.show(decision);
    expect(shown).toEqual([]);
    on = true;
    switched.show(decision);
    expect(shown).toEqual([decision]);
    expect(switched.keptCount()).toBe(1);
  });
});
