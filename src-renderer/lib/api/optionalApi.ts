import type { AcknowledgeQuery, AlertsQuery, AlertsView, SnoozeQuery } from '../../../src-main/contract/alerts.js';
import type { Api, Unsubscribe } from '../../../src-main/contract/api.js';
import type { HistoryInfo, HistoryQuery, HistoryView } from '../../../src-main/contract/history.js';

/**
 * The Api members that arrive later than the rest (history, alerts), typed from the contract's
 * shapes. A transport only has them when the contract lists them (httpApi builds its members
 * from endpoints.ts; the preload exposes the contract), so asking the object itself is what
 * tells whether this build and this backend can answer: a window or page without them shows
 * "not available", never made-up data.
 */
export interface HistoryApi {
  getHistory(args: HistoryQuery): Promise<HistoryView>;
  getHistoryInfo(args: Record<string, never>): Promise<HistoryInfo>;
}

export interface AlertsApi {
  getAlerts(args: AlertsQuery): Promise<AlertsView>;
  acknowledgeAlert(args: AcknowledgeQuery): Promise<unknown>;
  snoozeAlert(args: SnoozeQuery): Promise<unknown>;
  onDidChangeAlerts(listener: (view: AlertsView) => void): Unsubscribe;
}

function hasMembers<T>(api: Api, names: ReadonlyArray<keyof T & string>): boolean {
  return names.every((name) => typeof (api as unknown as Record<string, unknown>)[name] === 'function');
}

/** The history calls when this Api has them, else `null`. */
export function historyApiOf(api: Api): HistoryApi | null {
  // The one cast: checked member by member just above.
  return hasMembers<HistoryApi>(api, ['getHistory', 'getHistoryInfo']) ? (api as unknown as HistoryApi) : null;
}

/** The alert calls and event when this Api has them, else `null`. */
export function alertsApiOf(api: Api): AlertsApi | null {
  return hasMembers<AlertsApi>(api, ['getAlerts', 'acknowledgeAlert', 'snoozeAlert', 'onDidChangeAlerts']) ? (api as unknown as AlertsApi) : null;
}
