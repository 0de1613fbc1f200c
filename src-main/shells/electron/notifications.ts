import { Notification, type App } from 'electron';
import type { AlertsView, NotifyDecision } from '../../contract/alerts.js';
import { NotifiedAlerts, notificationOf, routeOfActivation, routeOfAlertKey, toastXmlOf } from './notificationsModel.js';
import type { AlertsApi } from './trayAlertsApi.js';

export interface NotificationsOptions {
  platform: NodeJS.Platform;
  /** Opens the window at a route (`#/queue/…`, `#/task/…`). */
  openRoute(route: string): void;
  warn(message: string): void;
  /** How many shown notifications keep a reference (default 50). */
  maxKept?: number;
}

export interface NotificationsController {
  /** Shows the notification a decision calls for (nothing when it is held back or was shown). */
  show(decision: NotifyDecision): void;
  /** How many shown notifications are referenced now (they would be collected otherwise). */
  keptCount(): number;
  dispose(): void;
}

/**
 * A fixed COM activator id for Windows toasts: without it Electron makes a new one every run and
 * toasts left in Action Center by an earlier run cannot start or reach the app. Never change it.
 */
export const toastActivatorClsid = '{6F2E8F4B-5B7C-4E0A-9C1D-3A7B2E4D9F10}';

/** Before `ready` (Windows only): the AUMID is set by setupAppIdentity; this adds the activator. */
export function setupToastActivation(app: App, platform: NodeJS.Platform): void {
  if (platform === 'win32') app.setToastActivatorCLSID(toastActivatorClsid);
}

/**
 * Native notifications, one per incident start and one per recovery (and per reminder, when a
 * rule asks for them). The per-OS facts (shared/reference/electron.md §4):
 * - Electron holds Notification objects weakly: each shown one is kept in a bounded set until
 *   clicked, or else its click handler may be collected and the click lost;
 * - Windows: every click arrives through `Notification.handleActivation`, including a cold start
 *   and toasts of an earlier run, so the route travels in the toast's `launch` argument and the
 *   instance `click` is not also wired (it would open twice); `close` fires when a toast times out
 *   into Action Center, so the reference is kept then;
 * - Linux: a click may never be delivered (daemon-dependent) and buttons do not exist: the tray
 *   menu lists the same alerts with "Open" as the second route;
 * - macOS: unsigned builds emit `failed` for every notification; that is logged, not retried;
 *   notifications delivered before a restart come back through `getHistory` and open their alert.
 */
export function setupNotifications(options: NotificationsOptions): NotificationsController {
  const supported = Notification.isSupported();
  if (!supported) options.warn('native notifications are not supported here; the tray shows the alerts');
  const isWindows = options.platform === 'win32';
  const kept = new Set<Notification>();
  const shownIds = new Set<string>();
  const maxKept = options.maxKept ?? 50;

  if (supported && isWindows) {
    Notification.handleActivation((details) => {
      const route = routeOfActivation(details.arguments);
      if (route !== null) options.openRoute(route);
    });
  }

  function keep(notification: Notification): void {
    kept.add(notification);
    if (kept.size > maxKept) kept.delete(kept.values().next().value!);
  }

  function onClick(notification: Notification, route: string): void {
    notification.on('click', () => {
      kept.delete(notification);
      options.openRoute(route);
    });
    notification.on('close', () => kept.delete(notification));
  }

  // macOS (Electron 43+): notifications delivered before a restart are handed back, to be
  // clicked again; their alert's route comes from the alert key kept as `groupId`.
  if (supported && options.platform === 'darwin') {
    Notification.getHistory().then((delivered) => {
      for (const notification of delivered) {
        onClick(notification, routeOfAlertKey(notification.groupId));
        keep(notification);
      }
    }, (error: unknown) => options.warn(`earlier notifications cannot be read back: ${String(error)}`));
  }

  return {
    show(decision) {
      const content = notificationOf(decision);
      if (!supported || content === null || shownIds.has(content.id)) return;
      shownIds.add(content.id);
      if (shownIds.size > 4 * maxKept) shownIds.delete(shownIds.values().next().value!);
      const notification = new Notification({
        title: content.title,
        body: content.body,
        id: content.id,
        groupId: content.groupId,
        urgency: content.urgency,
        timeoutType: content.timeoutType,
        ...(isWindows ? { toastXml: toastXmlOf(content) } : {}),
      });
      if (!isWindows) onClick(notification, content.route);
      notification.on('failed', (_event, error) => options.warn(`notification not shown: ${error}`));
      keep(notification);
      notification.show();
    },
    keptCount: () => kept.size,
    dispose() {
      kept.clear();
    },
  };
}

/**
 * Feeds the notifications from the Api's alert views (the monitor reached through the Api
 * alone): each new `lastNotifiedAt` stamp since `since` (this run's start) is one decision. With
 * the alert pipeline at hand, `pipeline.onAlertDecision(notifications.show)` does the same.
 */
export function followAlertNotifications(alerts: AlertsApi | null, notifications: NotificationsController, since: number): () => void {
  if (alerts === null) return () => {};
  const notified = new NotifiedAlerts(since);
  const accept = (view: AlertsView) => notified.take(view).forEach((d) => notifications.show(d));
  const unsubscribe = alerts.onDidChangeAlerts(accept);
  alerts.getAlerts({}).then(accept, () => {});
  return unsubscribe;
}

/** The controller with `show` honouring the Settings switch (asked at each decision: saving Settings flips it). */
export function switchedNotifications(notifications: NotificationsController, isOn: () => boolean): NotificationsController {
  return { ...notifications, show: (decision) => (isOn() ? notifications.show(decision) : undefined) };
}
