import type { Api } from '../../contract/api.js';
import type { Alert } from '../../contract/alerts.js';
import type { DashboardView } from '../../contract/dashboard.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import { overallStatusOf } from '../../core/status/overallStatus.js';
import type { AlertsApi } from './trayAlertsApi.js';
import { problemTrayView, trayViewOf, waitingTrayView, type TrayView } from './trayModel.js';

export interface StatusFeedOptions {
  api: Api;
  pollIntervalMs: number;
  now(): number;
  show(view: TrayView): void;
  /** The Api's alert members, when the monitor has them: the icon becomes the worst firing level. */
  alerts?: AlertsApi | null;
}

/**
 * Keeps the tray's view current: recomputed on every dashboard event, and on a timer of one
 * poll interval, because staleness is the absence of events and no event will report it.
 */
export function setupStatusFeed(options: StatusFeedOptions): { stop(): void } {
  let dashboard: DashboardView | null = null;
  let problem: ApiError | null = null;
  let alerts: readonly Alert[] = [];
  const render = () => options.show(dashboard !== null
    ? trayViewOf(overallStatusOf(dashboard.connections, options.now(), options.pollIntervalMs), alerts)
    : problem !== null ? problemTrayView(problem) : waitingTrayView());
  const accept = (view: DashboardView) => {
    dashboard = view;
    render();
  };

  const unsubscribe = options.api.onDidChangeDashboard(accept);
  // The monitor may have polled before we subscribed; an event that arrives first wins.
  // A monitor that could not start answers with its coded error, which the tray shows.
  options.api.getDashboard({}).then((view) => {
    if (dashboard === null) accept(view);
  }, (error: unknown) => {
    problem = isApiError(error) ? error : { code: 'INTERNAL', detail: String(error) };
    render();
  });
  const stopAlerts = followAlerts(options.alerts ?? null, (next) => {
    alerts = next;
    render();
  });
  const timer = setInterval(render, options.pollIntervalMs);
  render();
  return {
    stop() {
      unsubscribe();
      stopAlerts();
      clearInterval(timer);
    },
  };
}

/** Open and recently resolved alerts: every change, and the current list once (an event that arrives first wins). */
function followAlerts(api: AlertsApi | null, accept: (alerts: readonly Alert[]) => void): () => void {
  if (api === null) return () => {};
  let heard = false;
  const unsubscribe = api.onDidChangeAlerts((view) => {
    heard = true;
    accept(view.alerts);
  });
  api.getAlerts({}).then((view) => {
    if (!heard) accept(view.alerts);
  }, () => {
    // The connections' status still shows; the monitor's own error reaches the tray through getDashboard.
  });
  return unsubscribe;
}
