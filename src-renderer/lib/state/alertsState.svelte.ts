import type { Alert, AlertsView } from '../../../src-main/contract/alerts.js';
import type { ApiError } from '../../../src-main/contract/errors.js';
import type { ApiClient } from '../api/apiClient.js';
import { toApiError } from '../api/apiCallError.js';
import { alertsApiOf, type AlertsApi } from '../api/optionalApi.js';
import { sortAlerts } from '../alerts/alertScope.js';

/**
 * Open and recent alerts as the backend evaluates them. One owner writes it: the subscription
 * started by `follow` (the alerts event, plus one read at start and after a reconnection).
 * `available` is false when this backend has no alert calls: then nothing is shown as healthy
 * or failing from alerts, the page says they are not available.
 */
export class AlertsState {
  #view = $state.raw<AlertsView | null>(null);
  #error = $state.raw<ApiError | null>(null);
  #available = $state.raw(false);
  #api: AlertsApi | null = null;

  get available(): boolean {
    return this.#available;
  }

  get view(): AlertsView | null {
    return this.#view;
  }

  get error(): ApiError | null {
    return this.#error;
  }

  /** Every alert, firing first and worst first. */
  get sorted(): Alert[] {
    return sortAlerts(this.#view?.alerts ?? []);
  }

  get firing(): Alert[] {
    return this.sorted.filter((alert) => alert.state === 'firing');
  }

  follow(client: ApiClient): () => void {
    const api = alertsApiOf(client.api);
    this.#api = api;
    this.#available = api !== null;
    if (api === null) return () => {};
    const stopEvents = api.onDidChangeAlerts((view) => this.#accept(view));
    let wasLive = false;
    const stopLink = client.onLinkChange((link) => {
      if (link === 'live' && wasLive) void this.reload();
      if (link === 'live') wasLive = true;
    });
    void this.reload();
    return () => {
      this.#api = null;
      stopEvents();
      stopLink();
    };
  }

  async reload(): Promise<void> {
    const api = this.#api;
    if (api === null) return;
    try {
      this.#accept(await api.getAlerts({ includeResolved: true }));
    } catch (reason) {
      this.#error = toApiError(reason);
    }
  }

  /** Stops reminders for one incident; resolves with the coded error when refused. */
  async acknowledge(key: string): Promise<ApiError | null> {
    return this.#act((api) => api.acknowledgeAlert({ key }));
  }

  /** No notifications for one alert for `forMs`. */
  async snooze(key: string, forMs: number): Promise<ApiError | null> {
    return this.#act((api) => api.snoozeAlert({ key, forMs }));
  }

  async #act(call: (api: AlertsApi) => Promise<unknown>): Promise<ApiError | null> {
    const api = this.#api;
    if (api === null) return { code: 'BAD_USAGE', detail: 'this backend has no alerts' };
    try {
      await call(api);
      await this.reload();
      return null;
    } catch (reason) {
      return toApiError(reason);
    }
  }

  #accept(view: AlertsView): void {
    if (this.#view !== null && view.evaluatedAt !== null && this.#view.evaluatedAt !== null && view.evaluatedAt < this.#view.evaluatedAt) return;
    this.#view = view;
    this.#error = null;
  }
}
