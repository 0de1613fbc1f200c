import type { Api, Unsubscribe } from '../../contract/api.js';
import type { AcknowledgeQuery, AlertsQuery, AlertsView, SnoozeQuery } from '../../contract/alerts.js';

/**
 * The Api's alert members the tray and the notifications use (the names the alerts work adds to
 * contract/api.ts, as src-renderer/lib/api/optionalApi.ts expects them). A typed seam while they
 * are not in `Api` on every build: an Api without them gives `null`, and the tray shows the
 * connections' status alone.
 */
export interface AlertsApi {
  getAlerts(args: AlertsQuery): Promise<AlertsView>;
  acknowledgeAlert(args: AcknowledgeQuery): Promise<unknown>;
  snoozeAlert(args: SnoozeQuery): Promise<unknown>;
  onDidChangeAlerts(listener: (view: AlertsView) => void): Unsubscribe;
}

const members = ['getAlerts', 'acknowledgeAlert', 'snoozeAlert', 'onDidChangeAlerts'] as const;

export function alertsApiOf(api: Api): AlertsApi | null {
  const candidate = api as unknown as Record<string, unknown>;
  // The one cast: checked member by member just above its use.
  return members.every((m) => typeof candidate[m] === 'function') ? (api as unknown as AlertsApi) : null;
}
