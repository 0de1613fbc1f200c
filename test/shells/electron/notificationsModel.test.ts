import { describe, expect, it } from 'vitest';
import type { AlertsView } from '../../../src-main/contract/alerts.js';
import { alertKey } from '../../../src-main/core/alerts/alertKey.js';
import { isWindowRoute, NotifiedAlerts, notificationOf, routeOfActivation, routeOfAlertKey, toastXmlOf } from '../../../src-main/shells/electron/notificationsModel.js';
import { parseRoute } from '../../../src-renderer/lib/route/route.js';
import { backlog, decision, failures, resolvedOf, t0, timeout, unreachable } from './alertFixtures.js';

describe('notificationOf', () => {
  it('a start: the level in words and the rule in the title, place and figures in the body, the queue route', () => {
    expect(notificationOf(decision(backlog))).toEqual({
      id: `${backlog.key}@${t0}/start`,
      groupId: backlog.key,
      title: 'Warning: Backlog over 1000',
      body: 'prod rq default: waiting 1523 > 1000',
      route: '#/queue/prod/rq/default',
      urgency: 'normal',
      timeoutType: 'default',
    });
  });

  it('a recovery: its own id in the same group, low urgency', () => {
    const n = notificationOf(decision(resolvedOf(backlog, t0 + 60_000), 'resolved', t0 + 60_000))!;
    expect([n.id, n.groupId, n.title, n.urgency]).toEqual([`${backlog.key}@${t0}/end`, backlog.key, 'Recovered (warning): Backlog over 1000', 'low']);
  });

  it('a task alert opens the task; an emergency stays on screen; critical is urgent', () => {
    expect(notificationOf(decision(timeout))!.route).toBe('#/task/f3b1-9');
    expect(parseRoute(notificationOf(decision(timeout))!.route)).toEqual({ kind: 'task', id: 'f3b1-9' });
    expect(notificationOf(decision(unreachable))).toMatchObject({ route: '#/', urgency: 'critical', timeoutType: 'never', title: 'Emergency: Broker unreachable' });
    expect(notificationOf(decision(failures))).toMatchObject({ urgency: 'critical', timeoutType: 'default' });
  });

  it('a reminder is its own notification; a held-back decision shows nothing', () => {
    expect(notificationOf(decision(backlog, 'repeat', t0 + 3_600_000))).toMatchObject({ id: `${backlog.key}@${t0}/repeat/${t0 + 3_600_000}`, title: 'Still firing (warning): Backlog over 1000' });
    expect(notificationOf({ ...decision(backlog), notify: false, suppressedBy: 'snoozed' })).toBeNull();
  });
});

describe('NotifiedAlerts: decisions read back from alert views', () => {
  const view = (...alerts: AlertsView['alerts']): AlertsView => ({ alerts, snoozes: [], maintenance: [], evaluatedAt: t0 });

  it('one start per new stamp, one recovery, nothing for views that repeat', () => {
    const notified = new NotifiedAlerts(t0 - 1);
    expect(notified.take(view(backlog)).map((d) => d.reason)).toEqual(['first']);
    expect(notified.take(view({ ...backlog, value: 1600, evaluatedAt: t0 + 5000 }))).toEqual([]);
    const resolved = resolvedOf(backlog, t0 + 60_000);
    expect(notified.take(view(resolved)).map((d) => [d.reason, d.at])).toEqual([['resolved', t0 + 60_000]]);
    expect(notified.take(view(resolved))).toEqual([]);
  });

  it('a reminder is a repeat; a new incident of the same alert is a first again', () => {
    const notified = new NotifiedAlerts(t0 - 1);
    notified.take(view(backlog));
    expect(notified.take(view({ ...backlog, lastNotifiedAt: t0 + 3_600_000 })).map((d) => d.reason)).toEqual(['repeat']);
    const again = { ...backlog, activeAt: t0 + 7_200_000, firedAt: t0 + 7_200_000, lastNotifiedAt: t0 + 7_200_000 };
    expect(notified.take(view(again)).map((d) => d.reason)).toEqual(['first']);
  });

  it('alerts notified before this run started (restored after a restart) are not notified again; never-notified ones neither', () => {
    const notified = new NotifiedAlerts(t0 + 1);
    expect(notified.take(view(backlog, { ...failures, lastNotifiedAt: null }))).toEqual([]);
  });
});

describe('Windows toast activation', () => {
  it('the route travels in the launch argument and comes back', () => {
    const content = notificationOf(decision(backlog))!;
    const xml = toastXmlOf(content);
    expect(xml).toBe('<toast launch="task-status:open?route=%23%2Fqueue%2Fprod%2Frq%2Fdefault" activationType="foreground"><visual><binding template="ToastGeneric">'
      + '<text>Warning: Backlog over 1000</text><text>prod rq default: waiting 1523 &gt; 1000</text></binding></visual></toast>');
    expect(routeOfActivation('task-status:open?route=%23%2Fqueue%2Fprod%2Frq%2Fdefault')).toBe('#/queue/prod/rq/default');
  });

  it('an emergency toast asks for the long duration', () => {
    expect(toastXmlOf(notificationOf(decision(unreachable))!)).toContain('activationType="foreground" duration="long">');
  });

  it('refuses anything but a window route', () => {
    expect(routeOfActivation('')).toBeNull();
    expect(routeOfActivation('task-status:open?route=javascript%3Aalert(1)')).toBeNull();
    expect(routeOfActivation('task-status:open?route=%E0%A4%A')).toBeNull();
    expect(isWindowRoute('#/')).toBe(true);
    expect(isWindowRoute('#/queue/p%2F1/celery/a%23b')).toBe(true);
    expect(isWindowRoute('#/queue/a"b')).toBe(false);
    expect(isWindowRoute('https://example.com/#/')).toBe(false);
  });
});

describe('routeOfAlertKey (macOS notifications delivered before a restart)', () => {
  it('reads the labels back from keys the engine writes', () => {
    expect(routeOfAlertKey(alertKey('backlog', { connection: 'prod', framework: 'rq', namespace: 'rq', queue: 'default' }))).toBe('#/queue/prod/rq/default');
    expect(routeOfAlertKey(alertKey('backlog', { connection: 'a,b="c"', framework: 'celery', queue: 'x}y' }))).toBe('#/queue/a%2Cb%3D%22c%22/celery/x%7Dy');
    expect(routeOfAlertKey(alertKey('taskTimeout', { connection: 'prod', framework: 'rq', task: 'j-1', startedAt: '5' }))).toBe('#/task/j-1');
    expect(routeOfAlertKey(alertKey('brokerUnreachable', { connection: 'prod' }))).toBe('#/');
    expect(routeOfAlertKey('not a key')).toBe('#/');
  });
});
