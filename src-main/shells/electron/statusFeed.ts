import type { Api } from '../../contract/api.js';
import type { DashboardView } from '../../contract/dashboard.js';
import { isApiError, type ApiError } from '../../contract/errors.js';
import { overallStatusOf } from '../../core/status/overallStatus.js';
import { problemTrayView, trayViewOf, waitingTrayView, type TrayView } from './trayModel.js';

export interface StatusFeedOptions {
  api: Api;
  pollIntervalMs: number;
  now(): number;
  show(view: TrayView): void;
}

/**
 * Keeps the tray's view current: recomputed on every dashboard event, and on a timer of one
 * poll interval, because staleness is the absence of events and no event will report it.
 */
export function setupStatusFeed(options: StatusFeedOptions): { stop(): void } {
  let dashboard: DashboardView | null = null;
  let problem: ApiError | null = null;
  const render = () => options.show(dashboard !== null
    ? trayViewOf(overallStatusOf(dashboard.connections, options.now(), options.pollIntervalMs))
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
  const timer = setInterval(render, options.pollIntervalMs);
  render();
  return {
    stop() {
      unsubscribe();
      clearInterval(timer);
    },
  };
}
