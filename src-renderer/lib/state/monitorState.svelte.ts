import type { ConnectionView, DashboardView } from '../../../src-main/contract/dashboard.js';
import type { ApiError } from '../../../src-main/contract/errors.js';
import type { QueueFigures, WorkerInfo } from '../../../src-main/contract/figures.js';
import type { ApiClient } from '../api/apiClient.js';
import { toApiError } from '../api/apiCallError.js';
import type { LinkState } from '../api/linkState.js';

/**
 * The live dashboard as the renderer knows it. One owner writes it: the subscription started by
 * `follow` (the event stream, plus one read at start and after each reconnection, so that what
 * was missed while away is caught up). Components only read.
 */
export class MonitorState {
  #dashboard = $state.raw<DashboardView | null>(null);
  #error = $state.raw<ApiError | null>(null);
  #link = $state.raw<LinkState>('connecting');

  /** The last dashboard received; `null` until the first arrives. */
  get dashboard(): DashboardView | null {
    return this.#dashboard;
  }

  /** Why the last read failed; `null` once a dashboard arrives. */
  get error(): ApiError | null {
    return this.#error;
  }

  get link(): LinkState {
    return this.#link;
  }

  /** One connection of the last dashboard; `undefined` when there is none of that id. */
  connectionNamed(connection: string): ConnectionView | undefined {
    return this.#dashboard?.connections.find((c) => c.id === connection);
  }

  /** Every queue called `name` of one framework on one connection (one per namespace). */
  queuesNamed(connection: string, framework: string, name: string): QueueFigures[] {
    const view = this.#dashboard?.connections.find((c) => c.id === connection);
    return view?.queues.filter((q) => q.framework === framework && q.queue === name) ?? [];
  }

  /** The workers of one framework on one connection. */
  workersOf(connection: string, framework: string): WorkerInfo[] {
    const view = this.#dashboard?.connections.find((c) => c.id === connection);
    return view?.workers.filter((w) => w.framework === framework) ?? [];
  }

  /** Starts following the backend; returns the function that stops it. */
  follow(client: ApiClient): () => void {
    let stopped = false;
    const load = async (): Promise<void> => {
      try {
        const view = await client.api.getDashboard({});
        if (!stopped) this.#accept(view);
      } catch (reason) {
        if (!stopped) this.#error = toApiError(reason);
      }
    };
    const stopEvents = client.api.onDidChangeDashboard((view) => this.#accept(view));
    let wasLive = false;
    const stopLink = client.onLinkChange((link) => {
      this.#link = link;
      if (link === 'live' && wasLive) void load();
      if (link === 'live') wasLive = true;
    });
    void load();
    return () => {
      stopped = true;
      stopEvents();
      stopLink();
    };
  }

  /** A late answer never replaces a newer view. */
  #accept(view: DashboardView): void {
    if (this.#dashboard !== null && view.generatedAt < this.#dashboard.generatedAt) return;
    this.#dashboard = view;
    this.#error = null;
  }
}
