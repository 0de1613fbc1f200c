import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertsView } from '../../../src-main/contract/alerts.js';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { setupStatusFeed } from '../../../src-main/shells/electron/statusFeed.js';
import { setupTray } from '../../../src-main/shells/electron/tray.js';
import { alertsApiOf, type AlertsApi } from '../../../src-main/shells/electron/trayAlertsApi.js';
import { trayViewOf } from '../../../src-main/shells/electron/trayModel.js';
import { connectionView } from '../../core/status/connectionView.js';
import { backlog, resolvedOf, t0, timeout } from './alertFixtures.js';
import { FakeTray, resetFakeElectron, type FakeNativeImage } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

type Item = { label?: string; enabled?: boolean; submenu?: Item[]; click?: () => void };
const item = (items: Item[], label: string): Item => {
  const found = items.find((i) => i.label === label);
  if (!found) throw new Error(`no menu item "${label}" in ${items.map((i) => i.label).join(' | ')}`);
  return found;
};

function start() {
  const actions = { openWindow: vi.fn(), quit: vi.fn(), openRoute: vi.fn(), acknowledge: vi.fn(), snooze: vi.fn() };
  const controller = setupTray({ assetsDir: '/assets', platform: 'linux', ...actions });
  return { controller, actions, tray: FakeTray.instances[0]! };
}

const verdict = overallStatusOf([connectionView('prod', { takenAt: t0, lastGoodPollAt: t0 })], t0, 5000);

describe('the tray menu with alerts', () => {
  beforeEach(resetFakeElectron);

  it('each alert opens its queue or task (the Linux route when a notification click is lost), acknowledges, snoozes', () => {
    const { controller, actions, tray } = start();
    controller.show(trayViewOf(verdict, [timeout, backlog, resolvedOf(backlog, t0)]));
    const menu = tray.menu!.template as Item[];
    const task = item(menu, 'ERROR: Task running past its timeout — prod celery emails task f3b1-9: figure 1 > 0').submenu!;
    expect(task.map((i) => i.label)).toEqual(['Open task', 'Acknowledge', 'Snooze 1 hour', 'Snooze 8 hours']);
    item(task, 'Open task').click!();
    item(task, 'Acknowledge').click!();
    item(task, 'Snooze 8 hours').click!();
    const recovered = item(menu, 'Recovered: Backlog over 1000 — prod rq default: waiting 1523 > 1000').submenu!;
    expect(recovered.map((i) => i.label)).toEqual(['Open queue']);
    item(recovered, 'Open queue').click!();
    expect(actions.openRoute.mock.calls).toEqual([['#/task/f3b1-9'], ['#/queue/prod/rq/default']]);
    expect(actions.acknowledge.mock.calls).toEqual([[timeout.key]]);
    expect(actions.snooze.mock.calls).toEqual([[timeout.key, 8 * 3_600_000]]);
  });

  it('an acknowledged alert offers no second acknowledge; the icon is the level\'s own image', () => {
    const { controller, tray } = start();
    controller.show(trayViewOf(verdict, [{ ...timeout, acknowledgedAt: t0 }]));
    const sub = item(tray.menu!.template as Item[], 'ERROR (ack): Task running past its timeout — prod celery emails task f3b1-9: figure 1 > 0').submenu!;
    expect(item(sub, 'Acknowledged').enabled).toBe(false);
    expect((tray.setImage.mock.lastCall![0] as FakeNativeImage).path).toBe('/assets/tray/error-32.png');
  });
});

describe('the status feed with the Api alert members', () => {
  beforeEach(resetFakeElectron);

  it('shows the worst firing level as alerts change, and the connections\' status without alert members', async () => {
    let alertsListener: ((v: AlertsView) => void) | null = null;
    const dashboard: DashboardView = { connections: [connectionView('prod', { takenAt: t0, lastGoodPollAt: t0 })], generatedAt: t0 };
    const api = {
      getDashboard: vi.fn(async () => dashboard),
      onDidChangeDashboard: () => () => {},
      getAlerts: vi.fn(async (): Promise<AlertsView> => ({ alerts: [backlog], snoozes: [], maintenance: [], evaluatedAt: t0 })),
      acknowledgeAlert: vi.fn(async () => ({})),
      snoozeAlert: vi.fn(async () => ({})),
      onDidChangeAlerts: (l: (v: AlertsView) => void) => ((alertsListener = l), () => (alertsListener = null)),
    };
    const alerts = alertsApiOf(api as never) as AlertsApi;
    expect(alerts).not.toBeNull();
    const shown: string[] = [];
    const feed = setupStatusFeed({ api: api as never, pollIntervalMs: 5000, now: () => t0, show: (v) => shown.push(v.status), alerts });
    await vi.waitFor(() => expect(shown.at(-1)).toBe('warning'));
    alertsListener!({ alerts: [backlog, timeout], snoozes: [], maintenance: [], evaluatedAt: t0 });
    expect(shown.at(-1)).toBe('error');
    alertsListener!({ alerts: [], snoozes: [], maintenance: [], evaluatedAt: t0 });
    expect(shown.at(-1)).toBe('ok');
    feed.stop();
    expect(alertsListener).toBeNull();
    expect(alertsApiOf({ getDashboard: api.getDashboard } as never)).toBeNull();
  });
});
